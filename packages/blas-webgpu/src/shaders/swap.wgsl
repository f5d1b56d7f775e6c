// x ↔ y over strided n-d views of two different buffers (sswap). Bindings: x, y (read-write).

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read_write> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid, WG);
  if (i >= S.count) { return; }
  let o = view_offsets(i);
  let t = X[o.x];
  X[o.x] = Y[o.y];
  Y[o.y] = t;
}
