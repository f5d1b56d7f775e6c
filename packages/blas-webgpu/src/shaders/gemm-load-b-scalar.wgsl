// Tiled-sgemm B loader for any strides: one float per load. B_N_FAST makes consecutive
// invocations walk n (B stored with n contiguous), otherwise k, so their loads are contiguous.

override B_N_FAST: bool = true;

@group(0) @binding(2) var<storage, read> B: array<f32>;

fn load_b(k0: u32, n0: u32, lid: u32, interior: bool) {
  let bn = 4u * TX;
  for (var e = lid; e < bn * BK; e += TX * TY) {
    let nn = select(e / BK, e % bn, B_N_FAST);
    let kk = select(e % BK, e / bn, B_N_FAST);
    let n = n0 + nn;
    let k = k0 + kk;
    var v = 0.0;
    if (interior || (n < G.N && k < G.K)) {
      v = B[G.ob + i32(k) * G.sb1 + i32(n) * G.sb2];
    }
    BS[kk * TX + nn / 4u][nn % 4u] = v;
  }
}
