// Average pooling, one invocation per output cell, with PyTorch's divisor rules (window() in
// pool-layout.wgsl). Bindings: x (read), y (write).

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let f = flat_id(wid, nwg, lid, WG);
  let out_plane = P.OH * P.OW;
  if (f >= P.planes * out_plane) { return; }
  let p = f / out_plane;
  let w = window(i32((f % out_plane) / P.OW), i32(f % P.OW));
  let xp = P.ox + i32(p * P.H * P.W);
  var s = 0.0;
  for (var ih = w.h0; ih < w.h1; ih += P.dil_h) {
    for (var iw = w.w0; iw < w.w1; iw += P.dil_w) {
      s += X[xp + ih * i32(P.W) + iw];
    }
  }
  Y[P.oy + i32(f)] = select(0.0, s / f32(w.div), w.div > 0);
}
