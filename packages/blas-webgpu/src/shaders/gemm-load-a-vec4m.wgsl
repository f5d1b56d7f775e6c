// Tiled-sgemm A loader for A contiguous along m (sa1 = 1, e.g. a transposed row-major A) with sa2
// and oa multiples of 4: vec4 loads of 4 consecutive rows stored straight into the tile.

@group(0) @binding(1) var<storage, read> A: array<vec4<f32>>;

fn load_a(m0: u32, k0: u32, lid: u32, interior: bool) {
  for (var e = lid; e < TY * BK; e += TX * TY) {
    let mq = e % TY;
    let kk = e / TY;
    let m = m0 + 4u * mq;
    let k = k0 + kk;
    let i = G.oa + i32(k) * G.sa2 + i32(m);
    var v = vec4<f32>(0.0);
    if (interior || (k < G.K && m + 3u < G.M)) {
      v = A[i / 4];
    } else if (k < G.K) {
      for (var c = 0u; c < 4u; c++) {
        if (m + c < G.M) {
          let j = i + i32(c);
          v[c] = A[j / 4][j % 4];
        }
      }
    }
    AS[kk * TY + mq] = v;
  }
}
