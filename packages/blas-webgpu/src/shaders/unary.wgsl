// y ← f(x) over strided n-d views (Device.unary). Bindings: x (read), y (write).
// `in_place` serves y = x (the same view of one buffer): it binds only y and reads view 0 from it.

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid, WG);
  if (i >= S.count) { return; }
  let o = view_offsets(i);
  Y[o.y] = unary_op(X[o.x], S.p0, S.p1);
}

@compute @workgroup_size(WG)
fn in_place(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid, WG);
  if (i >= S.count) { return; }
  let o = view_offsets(i).x;
  Y[o] = unary_op(Y[o], S.p0, S.p1);
}
