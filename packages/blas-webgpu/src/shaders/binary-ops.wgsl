// The binary ops of Device.binary, selected by the pipeline constant OP (codes in
// src/routines/op-codes.ts). Each case mirrors packages/blas/src/device/js/scalar-ops.ts.

override OP: u32;

fn binary_op(a: f32, b: f32, p0: f32) -> f32 {
  switch OP {
    case 0u: { return a + b; }                                               // add
    case 1u: { return a - b; }                                               // sub
    case 2u: { return a * b; }                                               // mul
    case 3u: { return a / b; }                                               // div
    case 4u: { return select(b, a, a > b || is_nan(a)); }                   // maximum
    case 5u: { return select(b, a, a < b || is_nan(a)); }                   // minimum
    case 6u: { return pow_js(a, b); }                                        // pow
    case 7u: { return select(0.0, 1.0, a == b); }                           // eq
    case 8u: { return select(0.0, a, b > 0.0); }                            // reluGrad
    case 9u: { return select(p0 * a, a, b > 0.0); }                         // leakyReluGrad
    case 10u: { return a * b * (1.0 - b); }                                  // sigmoidGrad
    case 11u: { return a * (1.0 - b * b); }                                  // tanhGrad
    case 12u: { return a * gelu_grad_f32(b); }                               // geluGrad
    default: { return nan_f32(); }
  }
}
