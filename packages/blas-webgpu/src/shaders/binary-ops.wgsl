// The binary ops of Device.binary, selected by the pipeline constant OP (codes: the generated
// `op-codes` source, from scripts/op-codes.mjs). Each case mirrors packages/blas/src/device/js/scalar-ops.ts.

override OP: u32;

fn binary_op(a: f32, b: f32, p0: f32) -> f32 {
  switch OP {
    case BINARY_ADD: { return a + b; }                                               // add
    case BINARY_SUB: { return a - b; }                                               // sub
    case BINARY_MUL: { return a * b; }                                               // mul
    case BINARY_DIV: { return a / b; }                                               // div
    case BINARY_MAXIMUM: { return select(b, a, a > b || is_nan(a)); }                   // maximum
    case BINARY_MINIMUM: { return select(b, a, a < b || is_nan(a)); }                   // minimum
    case BINARY_POW: { return pow_js(a, b); }                                        // pow
    case BINARY_EQ: { return select(0.0, 1.0, a == b); }                           // eq
    case BINARY_RELU_GRAD: { return select(0.0, a, b > 0.0); }                            // reluGrad
    case BINARY_LEAKY_RELU_GRAD: { return select(p0 * a, a, b > 0.0); }                         // leakyReluGrad
    case BINARY_SIGMOID_GRAD: { return a * b * (1.0 - b); }                                  // sigmoidGrad
    case BINARY_TANH_GRAD: { return a * (1.0 - b * b); }                                  // tanhGrad
    case BINARY_GELU_GRAD: { return a * gelu_grad_f32(b); }                               // geluGrad
    default: { return nan_f32(); }
  }
}
