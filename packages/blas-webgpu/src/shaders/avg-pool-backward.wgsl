// dx += the average-pooling adjoint, one invocation per input cell: it gathers dy/divisor from
// every output window that contains the cell, in increasing output order.
// Bindings: dy (read), dx (read-write).

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read> DY: array<f32>;
@group(0) @binding(2) var<storage, read_write> DX: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let f = flat_id(wid, nwg, lid, WG);
  let in_plane = P.H * P.W;
  if (f >= P.planes * in_plane) { return; }
  let p = f / in_plane;
  let ih = i32((f % in_plane) / P.W);
  let iw = i32(f % P.W);
  let span_h = (i32(P.KH) - 1) * P.dil_h + 1;
  let span_w = (i32(P.KW) - 1) * P.dil_w + 1;
  let oh_lo = max(0, floor_div(ih + P.pad_t - span_h, P.stride_h) + 1);
  let oh_hi = min(i32(P.OH) - 1, floor_div(ih + P.pad_t, P.stride_h));
  let ow_lo = max(0, floor_div(iw + P.pad_l - span_w, P.stride_w) + 1);
  let ow_hi = min(i32(P.OW) - 1, floor_div(iw + P.pad_l, P.stride_w));
  let out0 = i32(p * P.OH * P.OW);
  let ix = P.ox + i32(f);
  var acc = DX[ix];
  for (var oh = oh_lo; oh <= oh_hi; oh++) {
    for (var ow = ow_lo; ow <= ow_hi; ow++) {
      let w = window(oh, ow);
      let inside = ih >= w.h0 && ih < w.h1 && iw >= w.w0 && iw < w.w1 &&
        (ih - w.h0) % P.dil_h == 0 && (iw - w.w0) % P.dil_w == 0;
      if (inside && w.div > 0) {
        acc += DY[P.oy + out0 + oh * i32(P.OW) + ow] / f32(w.div);
      }
    }
  }
  DX[ix] = acc;
}
