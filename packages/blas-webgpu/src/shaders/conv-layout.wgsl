// Geometry of im2col / col2im (Device.im2col): N images of one channel group, image n's channel c
// is the H×W plane at x[ox + n·sxn + c·H·W]; column row r = (c·KH + kh)·KW + kw, column
// q = n·OH·OW + oh·OW + ow, at col[oc + r·ld + q].

struct Conv {
  C: u32,
  H: u32,
  W: u32,
  KH: u32,
  KW: u32,
  OH: u32,
  OW: u32,
  N: u32,
  stride_h: i32,
  stride_w: i32,
  pad_t: i32,
  pad_l: i32,
  dil_h: i32,
  dil_w: i32,
  ox: i32,
  sxn: i32,
  oc: i32,
  ld: i32,
}

@group(0) @binding(0) var<uniform> P: Conv;
