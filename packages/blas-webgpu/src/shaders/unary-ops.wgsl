// The unary ops of Device.unary, selected by the pipeline constant OP (codes: the generated
// `op-codes` source, from scripts/op-codes.mjs). Each case mirrors packages/blas/src/device/js/scalar-ops.ts.

override OP: u32;

fn unary_op(x: f32, p0: f32, p1: f32) -> f32 {
  switch OP {
    case UNARY_COPY: { return x; }                                                   // copy
    case UNARY_NEG: { return -x; }                                                  // neg
    case UNARY_ABS: { return abs(x); }                                              // abs
    case UNARY_SIGN: { return select(select(x, -1.0, x < 0.0), 1.0, x > 0.0); }     // sign (keeps ±0, NaN)
    case UNARY_EXP: { return exp(x); }                                              // exp
    case UNARY_LOG: {                                                               // log
      if (x < 0.0 || is_nan(x)) { return nan_f32(); }
      if (x == 0.0) { return neg_inf_f32(); }
      return log(x);
    }
    case UNARY_SQRT: { return select(sqrt(x), nan_f32(), x < 0.0); }                 // sqrt
    case UNARY_RSQRT: { return select(1.0 / sqrt(x), nan_f32(), x < 0.0); }           // rsqrt
    case UNARY_SQUARE: { return x * x; }                                               // square
    case UNARY_RECIPROCAL: { return 1.0 / x; }                                             // reciprocal
    case UNARY_TANH: { return tanh_f32(x); }                                        // tanh
    case UNARY_SIGMOID: { return sigmoid_f32(x); }                                     // sigmoid
    case UNARY_RELU: { return select(0.0, x, x > 0.0 || is_nan(x)); }              // relu
    case UNARY_STEP: { return select(0.0, 1.0, x > 0.0); }                         // step
    case UNARY_GELU: { return gelu_f32(x); }                                        // gelu
    case UNARY_LEAKY_RELU: { return select(p0 * x, x, x > 0.0); }                        // leakyRelu
    case UNARY_POW: { return pow_js(x, p0); }                                      // pow
    case UNARY_AFFINE: { return p0 * x + p1; }                                        // affine
    case UNARY_CLAMP: { return select(select(x, p1, x > p1), p0, x < p0); }         // clamp
    case UNARY_IN_RANGE: { return select(0.0, 1.0, x >= p0 && x <= p1); }              // inRange
    default: { return nan_f32(); }
  }
}
