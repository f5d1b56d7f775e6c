// The geometry of a reduction (Device.reduce, Device.argmax, and the Level 1 reductions): the
// kept ("outer") dimensions index the outputs, the reduced ("inner") dimensions are folded into
// one value each. Both index spaces are row-major, up to 8 dimensions, coalesced by the host.

struct Reduce {
  outer_shape: array<vec4<u32>, 2>,
  outer_sx: array<vec4<i32>, 2>,
  outer_sy: array<vec4<i32>, 2>,
  inner_shape: array<vec4<u32>, 2>,
  inner_sx: array<vec4<i32>, 2>,
  ox: i32,
  oy: i32,
  outer_rank: u32,
  inner_rank: u32,
  outer_count: u32,
  inner_count: u32,
}

@group(0) @binding(0) var<uniform> R: Reduce;

// (offset of the first input, offset of the output) of output `o`.
fn outer_offsets(o: u32) -> vec2<i32> {
  var rem = o;
  var off = vec2<i32>(R.ox, R.oy);
  for (var d = i32(R.outer_rank) - 1; d >= 0; d--) {
    let q = d / 4;
    let r = d % 4;
    let n = R.outer_shape[q][r];
    let i = i32(rem % n);
    rem = rem / n;
    off += i * vec2<i32>(R.outer_sx[q][r], R.outer_sy[q][r]);
  }
  return off;
}

// Offset of the reduced element `i` (row-major flat index) from the output's first input.
fn inner_offset(i: u32) -> i32 {
  var rem = i;
  var off = 0;
  for (var d = i32(R.inner_rank) - 1; d >= 0; d--) {
    let q = d / 4;
    let r = d % 4;
    let n = R.inner_shape[q][r];
    off += i32(rem % n) * R.inner_sx[q][r];
    rem = rem / n;
  }
  return off;
}
