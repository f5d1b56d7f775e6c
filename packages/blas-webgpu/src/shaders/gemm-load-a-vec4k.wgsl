// Tiled-sgemm A loader for A contiguous along k (sa2 = 1) with sa1 and oa multiples of 4:
// vec4 loads of 4 consecutive k; edge vectors that cross K fall back to checked scalars.

@group(0) @binding(1) var<storage, read> A: array<vec4<f32>>;

fn load_a(m0: u32, k0: u32, lid: u32, interior: bool) {
  let bm = 4u * TY;
  let kq_count = BK / 4u;
  for (var e = lid; e < bm * kq_count; e += TX * TY) {
    let kq = e % kq_count;
    let mm = e / kq_count;
    let m = m0 + mm;
    let k = k0 + 4u * kq;
    let i = G.oa + i32(m) * G.sa1 + i32(k);
    var v = vec4<f32>(0.0);
    if (interior || (m < G.M && k + 3u < G.K)) {
      v = A[i / 4];
    } else if (m < G.M) {
      for (var c = 0u; c < 4u; c++) {
        if (k + c < G.K) {
          let j = i + i32(c);
          v[c] = A[j / 4][j % 4];
        }
      }
    }
    for (var c = 0u; c < 4u; c++) {
      AS[(4u * kq + c) * TY + mm / 4u][mm % 4u] = v[c];
    }
  }
}
