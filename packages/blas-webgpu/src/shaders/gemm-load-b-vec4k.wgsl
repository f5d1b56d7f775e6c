// Tiled-sgemm B loader for B contiguous along k (sb1 = 1, e.g. a transposed row-major B) with sb2
// and ob multiples of 4: vec4 loads of 4 consecutive k; edge vectors that cross K use scalars.

@group(0) @binding(2) var<storage, read> B: array<vec4<f32>>;

fn load_b(k0: u32, n0: u32, lid: u32, interior: bool) {
  let bn = 4u * TX;
  let kq_count = BK / 4u;
  for (var e = lid; e < bn * kq_count; e += TX * TY) {
    let kq = e % kq_count;
    let nn = e / kq_count;
    let n = n0 + nn;
    let k = k0 + 4u * kq;
    let i = G.ob + i32(n) * G.sb2 + i32(k);
    var v = vec4<f32>(0.0);
    if (interior || (n < G.N && k + 3u < G.K)) {
      v = B[i / 4];
    } else if (n < G.N) {
      for (var c = 0u; c < 4u; c++) {
        if (k + c < G.K) {
          let j = i + i32(c);
          v[c] = B[j / 4][j % 4];
        }
      }
    }
    for (var c = 0u; c < 4u; c++) {
      BS[(4u * kq + c) * TX + nn / 4u][nn % 4u] = v[c];
    }
  }
}
