// y ← p0·y in place over a strided n-d view, or y ← 0 without reading y when bits = 1
// (sscal, and β·C when α = 0 or K = 0 in sgemm/sgemv). Binding: y (read-write).

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read_write> Y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid, WG);
  if (i >= S.count) { return; }
  let o = view_offsets(i).x;
  if (S.bits == 1u) {
    Y[o] = 0.0;
  } else {
    Y[o] = S.p0 * Y[o];
  }
}
