// Row-wise softmax / log-softmax of a rows×cols strided view (Device.softmax), one workgroup per
// row: the row maximum (NaN-propagating; −∞ rows use 0), Σ exp(x − max), then the outputs.
// Uses the Strided layout with rank 2: shape (rows, cols), view 0 = x, view 1 = y.
// Bindings: x (read), y (write).

override WG: u32 = 64u;
override LOG: bool = false;

@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;

var<workgroup> partial: array<f32, WG>;

fn max_nan(a: f32, b: f32) -> f32 {
  return select(select(a, b, b > a || is_nan(b)), a, is_nan(a));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let row = group_id(wid, nwg);
  let rows = S.shape[0].x;
  let cols = S.shape[0].y;
  if (row >= rows) { return; }
  let xr = S.offsets.x + i32(row) * S.strides[0][0].x;
  let yr = S.offsets.y + i32(row) * S.strides[1][0].x;
  let sx = S.strides[0][0].y;
  let sy = S.strides[1][0].y;

  var m = neg_inf_f32();
  for (var c = lid; c < cols; c += WG) {
    m = max_nan(m, X[xr + i32(c) * sx]);
  }
  partial[lid] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      partial[lid] = max_nan(partial[lid], partial[lid + s]);
    }
    workgroupBarrier();
  }
  var mx = partial[0];
  if (mx == neg_inf_f32()) {
    mx = 0.0;
  }
  workgroupBarrier();

  var sum = 0.0;
  for (var c = lid; c < cols; c += WG) {
    sum += exp(X[xr + i32(c) * sx] - mx);
  }
  partial[lid] = sum;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      partial[lid] += partial[lid + s];
    }
    workgroupBarrier();
  }
  let total = partial[0];

  if (LOG) {
    let lse = log_accurate(total);
    for (var c = lid; c < cols; c += WG) {
      Y[yr + i32(c) * sy] = X[xr + i32(c) * sx] - mx - lse;
    }
  } else {
    for (var c = lid; c < cols; c += WG) {
      Y[yr + i32(c) * sy] = exp(X[xr + i32(c) * sx] - mx) / total;
    }
  }
}
