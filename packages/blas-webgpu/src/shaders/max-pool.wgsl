// Max pooling, one invocation per output cell: the first largest value of the window (NaN wins),
// its flat index in the plane into argmax, −∞ and −1 for a window entirely in the padding.
// Bindings: x (read), y (write), argmax (write, int32).

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> ARG: array<i32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let f = flat_id(wid, nwg, lid, WG);
  let out_plane = P.OH * P.OW;
  if (f >= P.planes * out_plane) { return; }
  let p = f / out_plane;
  let oh = i32((f % out_plane) / P.OW);
  let ow = i32(f % P.OW);
  let xp = P.ox + i32(p * P.H * P.W);
  var best = neg_inf_f32();
  var best_index = -1;
  for (var kh = 0; kh < i32(P.KH); kh++) {
    let ih = oh * P.stride_h - P.pad_t + kh * P.dil_h;
    if (ih < 0 || ih >= i32(P.H)) { continue; }
    for (var kw = 0; kw < i32(P.KW); kw++) {
      let iw = ow * P.stride_w - P.pad_l + kw * P.dil_w;
      if (iw < 0 || iw >= i32(P.W)) { continue; }
      let v = X[xp + ih * i32(P.W) + iw];
      if (best_index < 0 || v > best || (is_nan(v) && !is_nan(best))) {
        best = v;
        best_index = ih * i32(P.W) + iw;
      }
    }
  }
  Y[P.oy + i32(f)] = best;
  ARG[P.oa + i32(f)] = best_index;
}
