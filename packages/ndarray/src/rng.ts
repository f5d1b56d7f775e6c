/**
 * Seeded pseudo-random numbers: xoshiro128** seeded by SplitMix64.
 */
import { allocate, checkDType, type TypedArray } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { checkShape, sizeOf } from "./shape.js";

/**
 * Floating-point dtypes, the ones random arrays can have.
 *
 * @example
 * ```ts
 * const d: FloatDType = "float64";
 * ```
 */
export type FloatDType = "float32" | "float64";

/**
 * Options for {@link Rng.uniformArray}.
 *
 * @example
 * ```ts
 * const opts: UniformOptions = { low: -1, high: 1, dtype: "float64" };
 * ```
 */
export interface UniformOptions<D extends FloatDType = FloatDType> {
  /** Inclusive lower bound, 0 by default. */
  low?: number;
  /** Exclusive upper bound, 1 by default. */
  high?: number;
  /** Element type, float32 by default. */
  dtype?: D;
}

/**
 * Options for {@link Rng.normalArray}.
 *
 * @example
 * ```ts
 * const opts: NormalOptions = { mean: 0, std: 0.01 };
 * ```
 */
export interface NormalOptions<D extends FloatDType = FloatDType> {
  /** Mean, 0 by default. */
  mean?: number;
  /** Standard deviation, 1 by default. */
  std?: number;
  /** Element type, float32 by default. */
  dtype?: D;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_M24 = 1 / 16777216;
const TWO_POW_M53 = 1 / 9007199254740992;
const MASK64 = (1n << 64n) - 1n;

/** One SplitMix64 step (Steele, Lea & Flood 2014; Vigna's `splitmix64.c`): [new state, output]. */
export function splitMix64(state: bigint): [bigint, bigint] {
  const s = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = ((s ^ (s >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [s, z ^ (z >> 31n)];
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** One xoshiro128** 1.1 step on a 4-word state (updated in place); returns the output as uint32. */
export function xoshiro128ssNext(s: Uint32Array): number {
  const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

/** High and low 32-bit words of the exact 64-bit product of two uint32 values. */
function mul32(x: number, r: number): [number, number] {
  const lo = Math.imul(x, r) >>> 0;
  const hi = Math.floor((Math.floor(x / 65536) * r + Math.floor(((x & 0xffff) * r) / 65536)) / 65536);
  return [hi, lo];
}

/**
 * A seeded random number generator with stable sequences across versions and platforms.
 *
 * Algorithm: **xoshiro128\*\*** 1.1 (D. Blackman and S. Vigna, "Scrambled linear pseudorandom
 * number generators", ACM TOMS 47(4), 2021; <https://prng.di.unimi.it/>), a 128-bit-state
 * generator with period 2^128 - 1, computed exactly with 32-bit integer arithmetic. The seed is
 * taken modulo 2^64 and expanded with **SplitMix64**: its first output gives state words 0 (low
 * half) and 1 (high half), its second output words 2 and 3.
 *
 * Derived draws:
 * - {@link Rng.uniform}: 53-bit resolution from two outputs, `((a >>> 5)·2^26 + (b >>> 6))·2^-53`;
 * - float32 fills: 24-bit resolution from one output, `(a >>> 8)·2^-24`, exact in float32;
 * - {@link Rng.normal}: Box–Muller on two 53-bit uniforms, the second value cached for the next
 *   call (these use `Math.log`, `Math.cos`, `Math.sin`, so the last bit may differ between JS engines);
 * - {@link Rng.integers}: unbiased, by Lemire's multiply-and-reject method.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * rng.uniform();            // in [0, 1)
 * rng.integers(0, 10);      // in {0, …, 9}
 * const w = rng.normalArray([64, 32], { std: 0.1 });
 * ```
 */
export class Rng {
  readonly #state = new Uint32Array(4);
  #spare: number | undefined = undefined;

  /**
   * Creates a generator from a seed.
   *
   * @param seed - A safe integer or a bigint (taken modulo 2^64); equal seeds give equal sequences.
   *
   * @example
   * ```ts
   * new Rng(42).nextUint32() === new Rng(42n).nextUint32(); // true
   * ```
   */
  constructor(seed: number | bigint) {
    if (typeof seed !== "bigint" && !Number.isSafeInteger(seed)) {
      throw new TypeError(`Rng: seed must be a safe integer or a bigint, got ${String(seed)}`);
    }
    let x = BigInt.asUintN(64, BigInt(seed));
    const words: number[] = [];
    for (let i = 0; i < 2; i++) {
      const [next, z] = splitMix64(x);
      x = next;
      words.push(Number(z & 0xffffffffn), Number(z >> 32n));
    }
    this.#state.set(words);
    if (words.every((w) => w === 0)) this.#state[0] = 1; // the all-zero state is a fixed point
  }

  /**
   * The next raw output: a uniformly distributed integer in `[0, 2^32)`.
   *
   * @example
   * ```ts
   * const bits = new Rng(1).nextUint32();
   * ```
   */
  nextUint32(): number {
    return xoshiro128ssNext(this.#state);
  }

  /**
   * A float uniformly distributed in `[low, high)` with 53 random bits (two outputs).
   *
   * @example
   * ```ts
   * const u = new Rng(3).uniform(-1, 1);
   * ```
   */
  uniform(low = 0, high = 1): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return low + (high - low) * ((a * 67108864 + b) * TWO_POW_M53);
  }

  /**
   * A normally distributed float (Box–Muller; every second call uses the cached value).
   *
   * @example
   * ```ts
   * const z = new Rng(3).normal(0, 2);
   * ```
   */
  normal(mean = 0, std = 1): number {
    let z = this.#spare;
    if (z === undefined) {
      const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
      const theta = 2 * Math.PI * this.uniform();
      this.#spare = r * Math.sin(theta);
      z = r * Math.cos(theta);
    } else {
      this.#spare = undefined;
    }
    return mean + std * z;
  }

  /**
   * A uniformly distributed integer in `[low, high)`, without modulo bias.
   *
   * @param low - Inclusive lower bound (a safe integer).
   * @param high - Exclusive upper bound; `high - low` may be at most 2^32.
   *
   * @example
   * ```ts
   * const die = new Rng(7).integers(1, 7); // 1..6
   * ```
   */
  integers(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || !(low < high) || high - low > TWO_POW_32) {
      throw new RangeError(`integers: expected integers low < high with high - low <= 2^32, got low=${low}, high=${high}`);
    }
    return low + this.#below(high - low);
  }

  /** Lemire's method: uniform in [0, range) for 1 <= range <= 2^32. */
  #below(range: number): number {
    if (range === TWO_POW_32) return this.nextUint32();
    let [hi, lo] = mul32(this.nextUint32(), range);
    if (lo < range) {
      const threshold = (TWO_POW_32 - range) % range;
      while (lo < threshold) [hi, lo] = mul32(this.nextUint32(), range);
    }
    return hi;
  }

  /**
   * A random ordering of `0 … n-1` (Fisher–Yates).
   *
   * @example
   * ```ts
   * new Rng(0).permutation(5); // e.g. Int32Array [3, 0, 4, 1, 2]
   * ```
   */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
      throw new RangeError(`permutation: n must be a non-negative int32, got ${n}`);
    }
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /**
   * Shuffles an array or typed array in place (Fisher–Yates, from the end) and returns it.
   *
   * @example
   * ```ts
   * const order = new Rng(1).shuffle(["a", "b", "c"]);
   * ```
   */
  shuffle<T extends unknown[] | TypedArray>(arr: T): T {
    const a = arr as unknown[];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.#below(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return arr;
  }

  /**
   * An independent generator seeded from two outputs of this one (for per-worker streams).
   *
   * @example
   * ```ts
   * const rng = new Rng(5);
   * const child = rng.fork();
   * ```
   */
  fork(): Rng {
    const hi = BigInt(this.nextUint32());
    const lo = BigInt(this.nextUint32());
    return new Rng((hi << 32n) | lo);
  }

  /**
   * Fills `out` with uniform floats in `[low, high)`: 24-bit draws for a Float32Array (one output
   * each, exact in float32), 53-bit {@link Rng.uniform} draws for a Float64Array. Rounding to
   * float32 may give `high` itself when `low` and `high` are far from 0, as in NumPy.
   *
   * @example
   * ```ts
   * const buf = new Float32Array(100);
   * new Rng(9).fillUniform(buf, -0.5, 0.5);
   * ```
   */
  fillUniform(out: Float32Array | Float64Array, low = 0, high = 1): void {
    if (out instanceof Float64Array) {
      for (let i = 0; i < out.length; i++) out[i] = this.uniform(low, high);
      return;
    }
    const span = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + span * ((this.nextUint32() >>> 8) * TWO_POW_M24);
  }

  /**
   * Fills `out` with normal draws, the same values as calling {@link Rng.normal} once per element.
   *
   * @example
   * ```ts
   * const buf = new Float64Array(100);
   * new Rng(9).fillNormal(buf, 0, 0.02);
   * ```
   */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
  }

  /**
   * A new array of uniform draws in `[low, high)` (see {@link Rng.fillUniform}).
   *
   * @example
   * ```ts
   * const x = new Rng(1).uniformArray([2, 3], { low: -1, high: 1 });
   * ```
   */
  uniformArray<D extends FloatDType = "float32">(shape: readonly number[], options: UniformOptions<D> = {}): NDArray<D> {
    const out = this.#floatArray("uniformArray", shape, options.dtype);
    this.fillUniform(out.data, options.low ?? 0, options.high ?? 1);
    return out;
  }

  /**
   * A new array of normal draws (see {@link Rng.fillNormal}).
   *
   * @example
   * ```ts
   * const w = new Rng(1).normalArray([128, 64], { std: Math.sqrt(2 / 64) });
   * ```
   */
  normalArray<D extends FloatDType = "float32">(shape: readonly number[], options: NormalOptions<D> = {}): NDArray<D> {
    const out = this.#floatArray("normalArray", shape, options.dtype);
    this.fillNormal(out.data, options.mean ?? 0, options.std ?? 1);
    return out;
  }

  #floatArray<D extends FloatDType>(op: string, shape: readonly number[], dtype?: D): NDArray<D> {
    const d = dtype ?? "float32";
    checkDType(op, d);
    if ((d as string) === "int32") throw new TypeError(`${op}: dtype must be float32 or float64, got int32`);
    const s = checkShape(op, shape);
    return new NDArray(allocate(d as D, sizeOf(s), op, s), s);
  }
}
