// Reductions (Device.reduce, sasum), OP one of the REDUCE_* codes of the generated `op-codes` source.
// max/min propagate NaN like the reference. Two entry points: `main` gives each output a
// workgroup (strided partial results, then a tree in workgroup memory); `serial` gives each
// output one invocation, for short reductions. Bindings: x (read), y (write).

override OP: u32;
override WG: u32 = 64u;

@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;

var<workgroup> partial: array<f32, WG>;

fn identity() -> f32 {
  switch OP {
    case REDUCE_MAX: { return neg_inf_f32(); }
    case REDUCE_MIN: { return inf_f32(); }
    default: { return 0.0; }
  }
}

fn term(v: f32) -> f32 {
  switch OP {
    case REDUCE_SUM_SQUARES: { return v * v; }
    case REDUCE_SUM_ABS: { return abs(v); }
    default: { return v; }
  }
}

fn combine(a: f32, b: f32) -> f32 {
  switch OP {
    case REDUCE_MAX: { return select(select(a, b, b > a || is_nan(b)), a, is_nan(a)); }
    case REDUCE_MIN: { return select(select(a, b, b < a || is_nan(b)), a, is_nan(a)); }
    default: { return a + b; }
  }
}

fn finish(acc: f32) -> f32 {
  return select(acc, acc / f32(R.inner_count), OP == REDUCE_MEAN);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let o = group_id(wid, nwg);
  if (o >= R.outer_count) { return; }
  let base = outer_offsets(o);
  var acc = identity();
  for (var i = lid; i < R.inner_count; i += WG) {
    acc = combine(acc, term(X[base.x + inner_offset(i)]));
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      partial[lid] = combine(partial[lid], partial[lid + s]);
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    Y[base.y] = finish(partial[0]);
  }
}

@compute @workgroup_size(WG)
fn serial(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
          @builtin(local_invocation_index) lid: u32) {
  let o = flat_id(wid, nwg, lid, WG);
  if (o >= R.outer_count) { return; }
  let base = outer_offsets(o);
  var acc = identity();
  for (var i = 0u; i < R.inner_count; i++) {
    acc = combine(acc, term(X[base.x + inner_offset(i)]));
  }
  Y[base.y] = finish(acc);
}
