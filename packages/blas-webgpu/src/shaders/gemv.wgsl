// y ← α·A·x + β·y for a rows×cols strided A (sgemv; the host turns a transpose into a stride swap
// and handles α = 0 or cols = 0). One workgroup per row: strided partial dot products, then a tree.
// β = 0 never reads y. Bindings: A (read), x (read), y (read-write).

struct Gemv {
  rows: u32,
  cols: u32,
  beta_zero: u32,
  sa1: i32,
  sa2: i32,
  oa: i32,
  sx: i32,
  ox: i32,
  sy: i32,
  oy: i32,
  alpha: f32,
  beta: f32,
}

override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> P: Gemv;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> X: array<f32>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let row = group_id(wid, nwg);
  if (row >= P.rows) { return; }
  let a0 = P.oa + i32(row) * P.sa1;
  var acc = 0.0;
  for (var j = lid; j < P.cols; j += WG) {
    acc = fma(A[a0 + i32(j) * P.sa2], X[P.ox + i32(j) * P.sx], acc);
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      partial[lid] += partial[lid + s];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let iy = P.oy + i32(row) * P.sy;
    if (P.beta_zero == 1u) {
      Y[iy] = P.alpha * partial[0];
    } else {
      Y[iy] = P.alpha * partial[0] + P.beta * Y[iy];
    }
  }
}
