// Tiled-sgemm epilogue for C contiguous along n (sc2 = 1) with sc1 and oc multiples of 4: one
// vec4 read-modify-write per row of the 4×4 block on interior tiles, checked scalars on edges.
// β = 0 never reads C.

@group(0) @binding(3) var<storage, read_write> C: array<vec4<f32>>;

fn store_c(m: u32, n: u32, acc: array<vec4<f32>, 4>, full: bool) {
  for (var r = 0u; r < 4u; r++) {
    let i = G.oc + i32(m + r) * G.sc1 + i32(n);
    if (full) {
      let v = G.alpha * acc[r];
      if (G.beta_zero == 1u) {
        C[i / 4] = v;
      } else {
        C[i / 4] = v + G.beta * C[i / 4];
      }
    } else if (m + r < G.M) {
      for (var c = 0u; c < 4u; c++) {
        if (n + c < G.N) {
          let j = i + i32(c);
          let v = G.alpha * acc[r][c];
          if (G.beta_zero == 1u) {
            C[j / 4][j % 4] = v;
          } else {
            C[j / 4][j % 4] = v + G.beta * C[j / 4][j % 4];
          }
        }
      }
    }
  }
}
