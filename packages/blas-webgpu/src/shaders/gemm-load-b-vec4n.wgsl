// Tiled-sgemm B loader for B contiguous along n (sb2 = 1, a row-major B) with sb1 and ob
// multiples of 4: vec4 loads of 4 consecutive columns stored straight into the tile.

@group(0) @binding(2) var<storage, read> B: array<vec4<f32>>;

fn load_b(k0: u32, n0: u32, lid: u32, interior: bool) {
  for (var e = lid; e < TX * BK; e += TX * TY) {
    let nq = e % TX;
    let kk = e / TX;
    let n = n0 + 4u * nq;
    let k = k0 + kk;
    let i = G.ob + i32(k) * G.sb1 + i32(n);
    var v = vec4<f32>(0.0);
    if (interior || (k < G.K && n + 3u < G.N)) {
      v = B[i / 4];
    } else if (k < G.K) {
      for (var c = 0u; c < 4u; c++) {
        if (n + c < G.N) {
          let j = i + i32(c);
          v[c] = B[j / 4][j % 4];
        }
      }
    }
    BS[kk * TX + nq] = v;
  }
}
