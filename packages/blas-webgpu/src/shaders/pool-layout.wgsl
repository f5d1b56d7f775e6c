// Geometry of 2-D pooling over `planes` contiguous H×W planes (Device.maxPool2d, avgPool2d and
// their adjoints), plus the window rule of average pooling (PyTorch's divisor, as the reference).

struct Pool {
  H: u32,
  W: u32,
  KH: u32,
  KW: u32,
  OH: u32,
  OW: u32,
  planes: u32,
  count_include_pad: u32,
  stride_h: i32,
  stride_w: i32,
  pad_t: i32,
  pad_l: i32,
  pad_b: i32,
  pad_r: i32,
  dil_h: i32,
  dil_w: i32,
  ox: i32,
  oy: i32,
  oa: i32,
}

@group(0) @binding(0) var<uniform> P: Pool;

fn ceil_div(a: i32, b: i32) -> i32 {
  return -floor_div(-a, b);
}

// The clipped window [h0, h1) × [w0, w1) of output (oh, ow) and its divisor.
struct Window {
  h0: i32,
  h1: i32,
  w0: i32,
  w1: i32,
  div: i32,
}

fn window(oh: i32, ow: i32) -> Window {
  var h0 = oh * P.stride_h - P.pad_t;
  var w0 = ow * P.stride_w - P.pad_l;
  var h1 = min(h0 + (i32(P.KH) - 1) * P.dil_h + 1, i32(P.H) + P.pad_b);
  var w1 = min(w0 + (i32(P.KW) - 1) * P.dil_w + 1, i32(P.W) + P.pad_r);
  let padded = ceil_div(h1 - h0, P.dil_h) * ceil_div(w1 - w0, P.dil_w);
  h0 = max(h0, 0);
  w0 = max(w0, 0);
  h1 = min(h1, i32(P.H));
  w1 = min(w1, i32(P.W));
  let inside = max(0, ceil_div(h1 - h0, P.dil_h)) * max(0, ceil_div(w1 - w0, P.dil_w));
  return Window(h0, h1, w0, w1, select(inside, padded, P.count_include_pad == 1u));
}
