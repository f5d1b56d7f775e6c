// Index of the first largest element (Device.argmax; isamax with ABS = true compares |x|).
// NaN counts as the largest value and ties go to the smallest index, so the combination is
// order-independent and matches the reference's sequential scan. An empty reduction gives −1.
// Bindings: x (read), y (write, int32).

override WG: u32 = 64u;
override ABS: bool = false;

@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<i32>;

const NONE: u32 = 0xffffffffu;

var<workgroup> best_v: array<f32, WG>;
var<workgroup> best_i: array<u32, WG>;

struct Best {
  v: f32,
  i: u32,
}

fn better(a: Best, b: Best) -> Best {
  if (a.i == NONE) { return b; }
  if (b.i == NONE) { return a; }
  let an = is_nan(a.v);
  let bn = is_nan(b.v);
  var first = b;
  if (a.i < b.i) { first = a; }
  if (an && bn) { return first; }
  if (an) { return a; }
  if (bn) { return b; }
  if (a.v > b.v) { return a; }
  if (b.v > a.v) { return b; }
  return first;
}

fn value(v: f32) -> f32 {
  return select(v, abs(v), ABS);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let o = group_id(wid, nwg);
  if (o >= R.outer_count) { return; }
  let base = outer_offsets(o);
  var acc = Best(0.0, NONE);
  for (var i = lid; i < R.inner_count; i += WG) {
    acc = better(acc, Best(value(X[base.x + inner_offset(i)]), i));
  }
  best_v[lid] = acc.v;
  best_i[lid] = acc.i;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      let r = better(Best(best_v[lid], best_i[lid]), Best(best_v[lid + s], best_i[lid + s]));
      best_v[lid] = r.v;
      best_i[lid] = r.i;
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    Y[base.y] = bitcast<i32>(best_i[0]);
  }
}
