// out ← f(a, b) over strided n-d views with broadcasting (Device.binary).
// Bindings: a (read), b (read), out (write). `a_is_out` and `b_is_out` serve out = a or out = b
// (the same view of one buffer, e.g. gradient accumulation): they read that operand from out.

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> OUT: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid, WG);
  if (i >= S.count) { return; }
  let o = view_offsets(i);
  OUT[o.z] = binary_op(A[o.x], B[o.y], S.p0);
}

@compute @workgroup_size(WG)
fn a_is_out(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid, WG);
  if (i >= S.count) { return; }
  let o = view_offsets(i);
  OUT[o.z] = binary_op(OUT[o.z], B[o.y], S.p0);
}

@compute @workgroup_size(WG)
fn b_is_out(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid, WG);
  if (i >= S.count) { return; }
  let o = view_offsets(i);
  OUT[o.z] = binary_op(A[o.x], OUT[o.z], S.p0);
}
