// Tiled sgemm. Each workgroup computes a BM×BN tile of C (BM = 4·TY rows, BN = 4·TX columns) and
// each invocation a 4×4 block of it, accumulating in registers over K in steps of BK while the
// A and B tiles sit in workgroup memory (vec4 per 4 rows of A / 4 columns of B, so the inner loop
// reads two vec4 and does 16 FMAs). The host composes this file with one A loader
// (gemm-load-a-*.wgsl), one B loader (gemm-load-b-*.wgsl) and one C store (gemm-store-c-*.wgsl)
// chosen for the operands' layouts; "interior" tiles (inside M, N and K) skip bounds checks and
// out-of-range elements of edge tiles load as 0.

override TX: u32 = 16u;
override TY: u32 = 16u;
override BK: u32 = 16u;

var<workgroup> AS: array<vec4<f32>, BK * TY>;   // AS[k·TY + q] = A[m0 + 4q .. 4q+3, k0 + k]
var<workgroup> BS: array<vec4<f32>, BK * TX>;   // BS[k·TX + q] = B[k0 + k, n0 + 4q .. 4q+3]

@compute @workgroup_size(TX, TY)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let m0 = wid.y * 4u * TY;
  let n0 = wid.x * 4u * TX;
  let full_mn = m0 + 4u * TY <= G.M && n0 + 4u * TX <= G.N;
  var acc: array<vec4<f32>, 4>;
  for (var r = 0u; r < 4u; r++) {
    acc[r] = vec4<f32>(0.0);
  }
  for (var k0 = 0u; k0 < G.K; k0 += BK) {
    let interior = full_mn && k0 + BK <= G.K;
    load_a(m0, k0, lid, interior);
    load_b(k0, n0, lid, interior);
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      let a = AS[k * TY + lid3.y];
      let b = BS[k * TX + lid3.x];
      acc[0] = fma(vec4<f32>(a.x), b, acc[0]);
      acc[1] = fma(vec4<f32>(a.y), b, acc[1]);
      acc[2] = fma(vec4<f32>(a.z), b, acc[2]);
      acc[3] = fma(vec4<f32>(a.w), b, acc[3]);
    }
    workgroupBarrier();
  }
  store_c(m0 + 4u * lid3.y, n0 + 4u * lid3.x, acc, full_mn);
}
