// out[offsets.y] ← ‖x‖₂ (snrm2) in one workgroup, scaled so it neither overflows nor underflows:
// first the largest |xᵢ| (NaN wins), then Σ (xᵢ/scale)², result scale·√Σ.
// Bindings: x (read), out (write).

override WG: u32 = 256u;

@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> OUT: array<f32>;

var<workgroup> partial: array<f32, WG>;

fn max_nan(a: f32, b: f32) -> f32 {
  return select(select(a, b, b > a || is_nan(b)), a, is_nan(a));
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var m = 0.0;
  for (var i = lid; i < S.count; i += WG) {
    m = max_nan(m, abs(X[view_offsets(i).x]));
  }
  partial[lid] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      partial[lid] = max_nan(partial[lid], partial[lid + s]);
    }
    workgroupBarrier();
  }
  let scale = partial[0];
  workgroupBarrier();
  // Uniform branch-free from here on: every invocation knows the same scale.
  let special = scale == 0.0 || is_nan(scale) || scale == inf_f32();
  var acc = 0.0;
  if (!special) {
    for (var i = lid; i < S.count; i += WG) {
      let v = X[view_offsets(i).x] / scale;
      acc = fma(v, v, acc);
    }
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
    OUT[S.offsets.y] = select(scale * sqrt(partial[0]), scale, special);
  }
}
