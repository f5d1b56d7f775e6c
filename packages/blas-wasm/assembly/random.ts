/**
 * The counter-based random fill shared by every device (packages/blas/src/device/counter-rng.ts):
 * element i of a (seed, counter) fill uses u = pcg(pcg(counter + i) ^ pcg(seed)), PCG-RXS-M-XS.
 */

/** The 32-bit PCG hash (PCG-RXS-M-XS). */
// @ts-ignore: decorator
@inline function pcg(v: u32): u32 {
  const state = v * 747796405 + 2891336453;
  const word = ((state >>> ((state >>> 28) + 4)) ^ state) * 277803737;
  return (word >>> 22) ^ word;
}

/** Uniform in [0, 1) with 24 random bits for stream `seedHash` at `index`. */
// @ts-ignore: decorator
@inline function uniform(seedHash: u32, index: u32): f64 {
  return <f64>(pcg(pcg(index) ^ seedHash) >>> 8) * 5.9604644775390625e-8;
}

/**
 * Fills n floats at y: dist 0 = uniform on [p0, p1), 1 = normal (mean p0, sd p1, Box–Muller from
 * the uniforms at 2k and 2k+1), 2 = bernoulli (p1 with probability p0, else 0). One loop per
 * distribution (the branch is not re-evaluated per element).
 */
export function fillRandom(dist: i32, seed: u32, counter: u32, n: i32, y: usize, p0: f64, p1: f64): void {
  const sh = pcg(seed);
  if (dist == 0) {
    const span = p1 - p0;
    for (let i = 0; i < n; i++) store<f32>(y + (<usize>i << 2), <f32>(p0 + span * uniform(sh, counter + <u32>i)));
  } else if (dist == 1) {
    const twoPi = 2 * Math.PI;
    for (let i = 0; i < n; i++) {
      const k = (counter + <u32>i) << 1;
      const u1 = uniform(sh, k), u2 = uniform(sh, k + 1);
      store<f32>(y + (<usize>i << 2), <f32>(p0 + p1 * (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(twoPi * u2))));
    }
  } else {
    for (let i = 0; i < n; i++) store<f32>(y + (<usize>i << 2), uniform(sh, counter + <u32>i) < p0 ? <f32>p1 : 0);
  }
}
