// col ← im2col(x): one invocation per column element; padding reads as zero.
// Bindings: x (read), col (write).

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> COL: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let f = flat_id(wid, nwg, lid, WG);
  let plane = P.OH * P.OW;
  let cols = P.N * plane;
  if (f >= P.C * P.KH * P.KW * cols) { return; }
  let r = f / cols;
  let q = f % cols;
  let n = q / plane;
  let p = q % plane;
  let oh = i32(p / P.OW);
  let ow = i32(p % P.OW);
  let c = r / (P.KH * P.KW);
  let kh = i32((r / P.KW) % P.KH);
  let kw = i32(r % P.KW);
  let ih = oh * P.stride_h - P.pad_t + kh * P.dil_h;
  let iw = ow * P.stride_w - P.pad_l + kw * P.dil_w;
  var v = 0.0;
  if (ih >= 0 && ih < i32(P.H) && iw >= 0 && iw < i32(P.W)) {
    v = X[P.ox + i32(n) * P.sxn + i32(c * P.H * P.W) + ih * i32(P.W) + iw];
  }
  COL[P.oc + i32(r) * P.ld + i32(q)] = v;
}
