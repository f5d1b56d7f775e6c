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
  return (counterWord(seed, index) >>> 8) * 5.9604644775390625e-8;
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
  const u1 = counterUniform(seed, 2 * index);
  const u2 = counterUniform(seed, 2 * index + 1);
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}
