// Tiled-sgemm A loader for any strides: one float per load. A_M_FAST makes consecutive
// invocations walk m (A stored with m contiguous), otherwise k, so their loads are contiguous.

override A_M_FAST: bool = false;

@group(0) @binding(1) var<storage, read> A: array<f32>;

fn load_a(m0: u32, k0: u32, lid: u32, interior: bool) {
  let bm = 4u * TY;
  for (var e = lid; e < bm * BK; e += TX * TY) {
    let mm = select(e / BK, e % bm, A_M_FAST);
    let kk = select(e % BK, e / bm, A_M_FAST);
    let m = m0 + mm;
    let k = k0 + kk;
    var v = 0.0;
    if (interior || (m < G.M && k < G.K)) {
      v = A[G.oa + i32(m) * G.sa1 + i32(k) * G.sa2];
    }
    AS[kk * TY + mm / 4u][mm % 4u] = v;
  }
}
