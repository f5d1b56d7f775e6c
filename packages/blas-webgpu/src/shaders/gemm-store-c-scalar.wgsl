// Tiled-sgemm epilogue for any strides of C: C ← α·acc + β·C per element (β = 0: C not read),
// bounds-checked on edge tiles.

@group(0) @binding(3) var<storage, read_write> C: array<f32>;

fn store_c(m: u32, n: u32, acc: array<vec4<f32>, 4>, full: bool) {
  for (var r = 0u; r < 4u; r++) {
    for (var c = 0u; c < 4u; c++) {
      if (full || (m + r < G.M && n + c < G.N)) {
        let i = G.oc + i32(m + r) * G.sc1 + i32(n + c) * G.sc2;
        let v = G.alpha * acc[r][c];
        if (G.beta_zero == 1u) {
          C[i] = v;
        } else {
          C[i] = v + G.beta * C[i];
        }
      }
    }
  }
}
