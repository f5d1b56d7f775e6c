// dx += the max-pooling adjoint, one invocation per input cell: it sums dy over the output cells
// whose argmax is this cell, in increasing output order (as the reference's scatter adds them),
// so there are no write conflicts. Bindings: dy (read), argmax (read), dx (read-write).

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read> DY: array<f32>;
@group(0) @binding(2) var<storage, read> ARG: array<i32>;
@group(0) @binding(3) var<storage, read_write> DX: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let f = flat_id(wid, nwg, lid, WG);
  let in_plane = P.H * P.W;
  if (f >= P.planes * in_plane) { return; }
  let p = f / in_plane;
  let cell = i32(f % in_plane);
  let ih = cell / i32(P.W);
  let iw = cell % i32(P.W);
  let oh_lo = max(0, ceil_div(ih + P.pad_t - (i32(P.KH) - 1) * P.dil_h, P.stride_h));
  let oh_hi = min(i32(P.OH) - 1, floor_div(ih + P.pad_t, P.stride_h));
  let ow_lo = max(0, ceil_div(iw + P.pad_l - (i32(P.KW) - 1) * P.dil_w, P.stride_w));
  let ow_hi = min(i32(P.OW) - 1, floor_div(iw + P.pad_l, P.stride_w));
  let out0 = i32(p * P.OH * P.OW);
  let ix = P.ox + i32(f);
  var acc = DX[ix];
  for (var oh = oh_lo; oh <= oh_hi; oh++) {
    for (var ow = ow_lo; ow <= ow_hi; ow++) {
      let o = out0 + oh * i32(P.OW) + ow;
      if (ARG[P.oa + o] == cell) {
        acc += DY[P.oy + o];
      }
    }
  }
  DX[ix] = acc;
}
