// A ← α·x·yᵀ + A for an M×N strided A (sger), one invocation per element of A.
// Bindings: x (read), y (read), A (read-write).

struct Ger {
  M: u32,
  N: u32,
  sx: i32,
  ox: i32,
  sy: i32,
  oy: i32,
  sa1: i32,
  sa2: i32,
  oa: i32,
  alpha: f32,
}

override WG: u32 = 128u;

@group(0) @binding(0) var<uniform> P: Ger;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> YV: array<f32>;
@group(0) @binding(3) var<storage, read_write> A: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let f = flat_id(wid, nwg, lid, WG);
  if (f >= P.M * P.N) { return; }
  let i = i32(f / P.N);
  let j = i32(f % P.N);
  let ia = P.oa + i * P.sa1 + j * P.sa2;
  A[ia] = fma(P.alpha * X[P.ox + i * P.sx], YV[P.oy + j * P.sy], A[ia]);
}
