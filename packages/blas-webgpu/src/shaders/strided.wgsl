// The iteration space of an elementwise kernel: up to 8 dimensions (row-major, already coalesced
// by the host) and up to three strided views of it. Element i of the space sits at
// offsets[v] + Σ_d index_d · strides[v][d] in view v.

struct Strided {
  shape: array<vec4<u32>, 2>,
  strides: array<array<vec4<i32>, 2>, 3>,
  offsets: vec4<i32>,
  rank: u32,
  count: u32,
  p0: f32,
  p1: f32,
  bits: u32,
}

@group(0) @binding(0) var<uniform> S: Strided;

// Offsets of element `flat` (row-major over S.shape) in the three views.
fn view_offsets(flat: u32) -> vec3<i32> {
  var rem = flat;
  var off = S.offsets.xyz;
  for (var d = i32(S.rank) - 1; d >= 0; d--) {
    let q = d / 4;
    let r = d % 4;
    let n = S.shape[q][r];
    let i = i32(rem % n);
    rem = rem / n;
    off += i * vec3<i32>(S.strides[0][q][r], S.strides[1][q][r], S.strides[2][q][r]);
  }
  return off;
}
