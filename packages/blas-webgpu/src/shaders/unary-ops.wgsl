// The unary ops of Device.unary, selected by the pipeline constant OP (codes in
// src/routines/op-codes.ts). Each case mirrors packages/blas/src/device/js/scalar-ops.ts.

override OP: u32;

fn unary_op(x: f32, p0: f32, p1: f32) -> f32 {
  switch OP {
    case 0u: { return x; }                                                   // copy
    case 1u: { return -x; }                                                  // neg
    case 2u: { return abs(x); }                                              // abs
    case 3u: { return select(select(x, -1.0, x < 0.0), 1.0, x > 0.0); }     // sign (keeps ±0, NaN)
    case 4u: { return exp(x); }                                              // exp
    case 5u: {                                                               // log
      if (x < 0.0 || is_nan(x)) { return nan_f32(); }
      if (x == 0.0) { return neg_inf_f32(); }
      return log(x);
    }
    case 6u: { return select(sqrt(x), nan_f32(), x < 0.0); }                 // sqrt
    case 7u: { return select(1.0 / sqrt(x), nan_f32(), x < 0.0); }           // rsqrt
    case 8u: { return x * x; }                                               // square
    case 9u: { return 1.0 / x; }                                             // reciprocal
    case 10u: { return tanh_f32(x); }                                        // tanh
    case 11u: { return sigmoid_f32(x); }                                     // sigmoid
    case 12u: { return select(0.0, x, x > 0.0 || is_nan(x)); }              // relu
    case 13u: { return select(0.0, 1.0, x > 0.0); }                         // step
    case 14u: { return gelu_f32(x); }                                        // gelu
    case 15u: { return select(p0 * x, x, x > 0.0); }                        // leakyRelu
    case 16u: { return pow_js(x, p0); }                                      // pow
    case 17u: { return p0 * x + p1; }                                        // affine
    case 18u: { return select(select(x, p1, x > p1), p0, x < p0); }         // clamp
    case 19u: { return select(0.0, 1.0, x >= p0 && x <= p1); }              // inRange
    default: { return nan_f32(); }
  }
}
