/**
 * Counter-based random numbers shared by every device, so a seeded dropout mask or weight fill is
 * the same on `js`, `wasm` and `webgpu`. Element i of a fill with (seed, counter) uses
 * `u = pcg(pcg(counter + i) ^ pcg(seed))`, where `pcg` is the PCG-RXS-M-XS 32-bit hash
 * recommended for GPUs by Jarzynski & Olano, "Hash Functions for GPU Rendering" (JCGT 2020).
 * Only 32-bit integer arithmetic, so WGSL and wasm reproduce it exactly.
 */

/**
 * The 32-bit PCG hash (PCG-RXS-M-XS): a permutation of the 32-bit integers.
 *
 * @example
 * ```ts
 * import { pcgHash } from "@tessera/blas";
 * pcgHash(0); // 129708002
 * ```
 */
export function pcgHash(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/**
 * The random 32-bit word of element `index` in the stream `seed`.
 *
 * @example
 * ```ts
 * import { counterWord } from "@tessera/blas";
 * counterWord(42, 0) === counterWord(42, 0); // true: a pure function
 * ```
 */
export function counterWord(seed: number, index: number): number {
  return pcgHash((pcgHash((index >>> 0)) ^ pcgHash(seed >>> 0)) >>> 0);
}

/**
 * A uniform float in [0, 1) with 24 random bits (exact in float32) for element `index`.
 *
 * @example
 * ```ts
 * import { counterUniform } from "@tessera/blas";
 * const u = counterUniform(7, 123); // same value on every device and every run
 * ```
 */
export function counterUniform(seed: number, index: number): number {
  return uniform24(pcgHash(seed >>> 0), index);
}

/**
 * A standard normal for element `index` by Box–Muller from the uniforms at 2·index and 2·index+1.
 *
 * @example
 * ```ts
 * import { counterNormal } from "@tessera/blas";
 * const z = counterNormal(7, 0);
 * ```
 */
export function counterNormal(seed: number, index: number): number {
  return boxMuller(counterUniform(seed, 2 * index), counterUniform(seed, 2 * index + 1));
}

/** One standard normal from two uniforms in [0, 1) (the cosine branch of Box–Muller). */
function boxMuller(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Fills `out[offset … offset+n)` with a counter-based stream: the values of {@link counterUniform}
 * (scaled to [p0, p1)), {@link counterNormal} (mean p0, standard deviation p1) or a Bernoulli mask
 * (p1 with probability p0, else 0) for indices `counter … counter+n−1`. Bit for bit what the
 * per-element functions give, in one tight loop per distribution (the seed's hash taken once), so
 * initialising a 138 M-parameter model on the JS device takes a fraction of a second per distribution.
 *
 * @example
 * ```ts
 * import { counterFill, counterNormal } from "@tessera/blas";
 * const w = new Float32Array(4);
 * counterFill("normal", 7, 0, w.length, w, 0, 0, 1);
 * w[2] === Math.fround(counterNormal(7, 2)); // true
 * ```
 */
export function counterFill(dist: "uniform" | "normal" | "bernoulli", seed: number, counter: number, n: number, out: Float32Array | Float64Array, offset: number, p0: number, p1: number): void {
  const sh = pcgHash(seed >>> 0);
  if (dist === "uniform") fillUniformRange(out, offset, n, sh, counter, p0, p1 - p0);
  else if (dist === "normal") fillNormalRange(out, offset, n, sh, counter, p0, p1);
  else for (let i = 0; i < n; i++) out[offset + i] = uniform24(sh, counter + i) < p0 ? p1 : 0;
}

const SCALE24 = 5.9604644775390625e-8;

/** The uniform of element `index` given the seed's hash (the body of {@link counterUniform}). */
function uniform24(seedHash: number, index: number): number {
  return (pcgHash((pcgHash(index >>> 0) ^ seedHash) >>> 0) >>> 8) * SCALE24;
}

function fillUniformRange(out: Float32Array | Float64Array, offset: number, n: number, sh: number, counter: number, low: number, span: number): void {
  for (let i = 0; i < n; i++) out[offset + i] = low + span * uniform24(sh, counter + i);
}

function fillNormalRange(out: Float32Array | Float64Array, offset: number, n: number, sh: number, counter: number, mean: number, std: number): void {
  for (let i = 0; i < n; i++) {
    const k = 2 * (counter + i);
    out[offset + i] = mean + std * boxMuller(uniform24(sh, k), uniform24(sh, k + 1));
  }
}
