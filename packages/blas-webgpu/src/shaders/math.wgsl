// Scalar functions that WGSL lacks or leaves too loose to match the reference device
// (packages/blas/src/device/js/scalar-ops.ts) within the battery's tolerances.

// erf by Abramowitz & Stegun 7.1.26: |error| <= 1.5e-7 for every x (plus float32 rounding).
fn erf_f32(x: f32) -> f32 {
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let e = 1.0 - poly * exp(-a * a);
  return select(e, -e, x < 0.0);
}

// tanh without overflow: a Taylor polynomial near 0 (no cancellation), (1 − e^{−2|x|})/(1 + e^{−2|x|}) beyond.
fn tanh_f32(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.125) {
    let x2 = x * x;
    return x * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0))));
  }
  let t = exp(-2.0 * a);
  let r = (1.0 - t) / (1.0 + t);
  return select(r, -r, x < 0.0);
}

// σ(x), stable for large |x|.
fn sigmoid_f32(x: f32) -> f32 {
  if (x >= 0.0) {
    return 1.0 / (1.0 + exp(-x));
  }
  let e = exp(x);
  return e / (1.0 + e);
}

// GELU(x) = x·Φ(x) in the exact (erf) form.
fn gelu_f32(x: f32) -> f32 {
  return 0.5 * x * (1.0 + erf_f32(x * 0.7071067811865476));
}

// d GELU / dx = Φ(x) + x·φ(x).
fn gelu_grad_f32(x: f32) -> f32 {
  return 0.5 * (1.0 + erf_f32(x * 0.7071067811865476)) + x * 0.3989422804014327 * exp(-0.5 * x * x);
}

// Math.pow semantics for the cases networks meet: x^0 = 1 (even for NaN), negative bases with
// integer exponents, exact small integer powers, 0^p, and NaN for a negative base with a
// fractional exponent.
fn pow_js(x: f32, p: f32) -> f32 {
  if (p == 0.0) { return 1.0; }
  if (p == 1.0) { return x; }
  if (p == 2.0) { return x * x; }
  if (p == 3.0) { return x * x * x; }
  if (p == -1.0) { return 1.0 / x; }
  if (is_nan(x) || is_nan(p)) { return nan_f32(); }
  let a = abs(x);
  let integer = floor(p) == p;
  if (x < 0.0 && !integer) { return nan_f32(); }
  var r: f32;
  if (a == 0.0) {
    r = select(inf_f32(), 0.0, p > 0.0);
  } else if (p == 0.5) {
    r = sqrt(a);
  } else {
    r = pow(a, p);
  }
  // An odd integer exponent keeps the sign of a negative base (2^24 and beyond are even).
  let odd = integer && abs(p) < 16777216.0 && (i32(abs(p)) % 2 == 1);
  return select(r, -r, x < 0.0 && odd);
}

// ln(y) for y > 0, accurate to a few float32 ulps everywhere (WGSL only promises an absolute
// error of 2^-21 near 1): y = m·2^e with m in [√½, √2), ln m = 2·atanh(s), s = (m − 1)/(m + 1).
fn log_accurate(y: f32) -> f32 {
  let fr = frexp(y);
  var m = fr.fract;
  var e = f32(fr.exp);
  if (m < 0.70710678) {
    m = m * 2.0;
    e = e - 1.0;
  }
  let s = (m - 1.0) / (m + 1.0);
  let s2 = s * s;
  let series = s * (2.0 + s2 * (2.0 / 3.0 + s2 * (2.0 / 5.0 + s2 * (2.0 / 7.0 + s2 * (2.0 / 9.0 + s2 * (2.0 / 11.0))))));
  return e * 0.6931471805599453 + series;
}

// cos(2π·u) for u in [0, 1), accurate to a few float32 ulps: exact reduction to an eighth of a
// turn, then Taylor polynomials of sin and cos on [0, π/4].
fn cos_turns(u: f32) -> f32 {
  let t = u * 8.0;                 // exact: u has at most 24 significant bits
  let octant = u32(floor(t)) % 8u;
  let f = t - floor(t);            // position inside the octant, exact
  // cos(2πu) = cos(octant·π/4 + f·π/4); fold every octant onto [0, π/4].
  let odd = (octant & 1u) == 1u;
  let g = select(f, 1.0 - f, odd); // angle from the nearest multiple of π/2, in eighths of a turn
  let x = g * 0.7853981633974483;
  let x2 = x * x;
  let c = 1.0 + x2 * (-0.5 + x2 * (1.0 / 24.0 + x2 * (-1.0 / 720.0 + x2 * (1.0 / 40320.0 + x2 * (-1.0 / 3628800.0)))));
  let s = x * (1.0 + x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0 + x2 * (1.0 / 362880.0)))));
  // Quadrant q = which multiple of π/2 the angle is nearest from below or above.
  let q = (octant + 1u) / 2u;      // 0..4: octants 0 | 1,2 | 3,4 | 5,6 | 7
  let quad = q % 4u;
  // For even octants the angle is q·π/2 + x, for odd ones q·π/2 − x.
  let sx = select(s, -s, odd);
  switch quad {
    case 0u: { return c; }
    case 1u: { return -sx; }
    case 2u: { return -c; }
    default: { return sx; }
  }
}
