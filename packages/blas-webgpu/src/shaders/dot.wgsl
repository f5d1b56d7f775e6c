// out[offsets.z] ← Σ x·y over strided views (sdot), in one workgroup: strided partial sums, then a
// tree in workgroup memory. Bindings: x (read), y (read), out (write).

override WG: u32 = 256u;

@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> YV: array<f32>;
@group(0) @binding(3) var<storage, read_write> OUT: array<f32>;

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var acc = 0.0;
  for (var i = lid; i < S.count; i += WG) {
    let o = view_offsets(i);
    acc = fma(X[o.x], YV[o.y], acc);
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
    OUT[S.offsets.z] = partial[0];
  }
}
