// x += col2im(col): one invocation per image element gathers every column entry that im2col
// copied from it, in the reference's order (kh, then kw), so there are no write conflicts and
// the sums round exactly as the reference's. Bindings: col (read), x (read-write).

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read> COL: array<f32>;
@group(0) @binding(2) var<storage, read_write> X: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let f = flat_id(wid, nwg, lid, WG);
  let hw = P.H * P.W;
  if (f >= P.N * P.C * hw) { return; }
  let n = f / (P.C * hw);
  let c = (f / hw) % P.C;
  let ih = i32((f % hw) / P.W);
  let iw = i32(f % P.W);
  let ix = P.ox + i32(n) * P.sxn + i32(c * hw) + ih * i32(P.W) + iw;
  let plane = P.OH * P.OW;
  var acc = X[ix];
  for (var kh = 0u; kh < P.KH; kh++) {
    let th = ih + P.pad_t - i32(kh) * P.dil_h;
    if (th < 0 || th % P.stride_h != 0) { continue; }
    let oh = th / P.stride_h;
    if (oh >= i32(P.OH)) { continue; }
    for (var kw = 0u; kw < P.KW; kw++) {
      let tw = iw + P.pad_l - i32(kw) * P.dil_w;
      if (tw < 0 || tw % P.stride_w != 0) { continue; }
      let ow = tw / P.stride_w;
      if (ow >= i32(P.OW)) { continue; }
      let r = (c * P.KH + kh) * P.KW + kw;
      acc += COL[P.oc + i32(r) * P.ld + i32(n * plane) + oh * i32(P.OW) + ow];
    }
  }
  X[ix] = acc;
}
