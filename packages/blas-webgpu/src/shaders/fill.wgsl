// y ← a 32-bit pattern over a strided n-d view (Device.fill, for float32 and int32 buffers alike:
// the host passes the value's bits). Binding: y (write, raw words).

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read_write> Y: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid, WG);
  if (i >= S.count) { return; }
  Y[view_offsets(i).x] = S.bits;
}
