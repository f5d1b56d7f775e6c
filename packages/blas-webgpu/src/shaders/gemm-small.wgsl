// sgemm for problems too small for tiling to pay: one invocation per element of C, a plain loop
// over K with any strides. M_FAST makes consecutive invocations walk down a column (for C stored
// column-major), so their stores are contiguous. Bindings: A (read), B (read), C (read-write).

override WG: u32 = 64u;
override M_FAST: bool = false;

@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let f = flat_id(wid, nwg, lid, WG);
  if (f >= G.M * G.N) { return; }
  let m = select(f / G.N, f % G.M, M_FAST);
  let n = select(f % G.N, f / G.M, M_FAST);
  var ia = G.oa + i32(m) * G.sa1;
  var ib = G.ob + i32(n) * G.sb2;
  var acc = 0.0;
  for (var k = 0u; k < G.K; k++) {
    acc = fma(A[ia], B[ib], acc);
    ia += G.sa2;
    ib += G.sb1;
  }
  let ic = G.oc + i32(m) * G.sc1 + i32(n) * G.sc2;
  if (G.beta_zero == 1u) {
    C[ic] = G.alpha * acc;
  } else {
    C[ic] = G.alpha * acc + G.beta * C[ic];
  }
}
