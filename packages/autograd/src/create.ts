import { getDevice, type Device } from "@tessera/blas";
import { fromArray, MAX_ELEMENTS, NDArray, type Rng } from "@tessera/ndarray";
import { Storage } from "./storage.js";
import { checkFinite, checkNumber, checkOptions, checkShape, describe } from "./args.js";
import { contiguousStrides, sizeOf, Tensor, type TensorDType } from "./tensor.js";

/**
 * Options of the creation functions.
 *
 * @example
 * ```ts
 * import { tensor } from "@tessera/autograd";
 * tensor([1, 2], { dtype: "float32", requiresGrad: true });
 * ```
 */
export interface TensorOptions {
  /** Device (default: the registry's default device, `'js'`). */
  readonly device?: Device;
  /** Element type (default float32; int32 for labels). */
  readonly dtype?: TensorDType;
  /** Track gradients (default false). */
  readonly requiresGrad?: boolean;
}

const DTYPES: readonly string[] = ["float32", "int32"];

/** Validates the options every creation function shares. */
function checkTensorOptions(fn: string, o: unknown): void {
  checkOptions(fn, "options", o, true);
  const { device, dtype, requiresGrad } = (o ?? {}) as Record<string, unknown>;
  if (dtype !== undefined && (typeof dtype !== "string" || !DTYPES.includes(dtype))) {
    throw new TypeError(`${fn}: options.dtype must be 'float32' or 'int32', got ${describe(dtype)}`);
  }
  if (requiresGrad !== undefined && typeof requiresGrad !== "boolean") throw new TypeError(`${fn}: options.requiresGrad must be a boolean, got ${describe(requiresGrad)}`);
  if (requiresGrad && dtype === "int32") throw new TypeError(`${fn}: only float32 tensors can require grad, got dtype 'int32'`);
  const d = device as { name?: unknown; alloc?: unknown } | undefined;
  if (d !== undefined && (d === null || typeof d !== "object" || typeof d.name !== "string" || typeof d.alloc !== "function")) {
    throw new TypeError(`${fn}: options.device must be a Device (getDevice("js"), wasmDevice(), …), got ${describe(device)}`);
  }
}

/** Validates a seeded generator argument. */
function checkRng(fn: string, rng: unknown, method: "fillNormal" | "fillUniform"): asserts rng is Rng {
  if (rng === null || typeof rng !== "object" || typeof (rng as Record<string, unknown>)[method] !== "function") {
    throw new TypeError(`${fn}: rng must be a seeded Rng (new Rng(seed) from @tessera/ndarray), got ${describe(rng)}; randomness is explicit, e.g. ${fn}([2, 3], new Rng(0))`);
  }
}

/** A new contiguous tensor of zeros, or with `uninitialized` of unspecified values (`Device.allocUninitialized` where the device has it). @internal */
export function empty(device: Device, shape: readonly number[], dtype: TensorDType = "float32", uninitialized = false): Tensor {
  // Op results (a broadcast, a matmul) arrive here unchecked: name the shape, not V8's `Invalid typed array length`.
  const n = sizeOf(shape);
  if (n > MAX_ELEMENTS) throw new RangeError(`tensor: shape [${shape.join(", ")}] has ${n} elements, more than the 2^32 = ${MAX_ELEMENTS} one buffer can hold`);
  const buffer = uninitialized && device.allocUninitialized ? device.allocUninitialized(n, dtype) : device.alloc(n, dtype);
  const storage = new Storage(device, buffer);
  return new Tensor(storage, [...shape], contiguousStrides(shape), 0, dtype);
}

/**
 * A tensor from nested arrays, a typed array (with `shape`), or an NDArray.
 *
 * @example
 * ```ts
 * import { tensor } from "@tessera/autograd";
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);               // shape [2, 3]
 * const y = tensor(new Float32Array(6), { shape: [3, 2] });
 * const labels = tensor([3, 1], { dtype: "int32" });
 * ```
 */
export function tensor(
  values: number | readonly unknown[] | Float32Array | Float64Array | Int32Array | NDArray,
  options: TensorOptions & { readonly shape?: readonly number[] } = {},
): Tensor {
  checkTensorOptions("tensor", options);
  if (options.shape !== undefined) checkShape("tensor", "options.shape", options.shape);
  const typed = ArrayBuffer.isView(values) && !(values instanceof DataView);
  if (typeof values !== "number" && !Array.isArray(values) && !typed && !(values instanceof NDArray)) {
    throw new TypeError(`tensor: values must be a number, a nested array, a typed array or an NDArray, got ${describe(values)}`);
  }
  const dtype = options.dtype ?? (values instanceof Int32Array || (values instanceof NDArray && values.dtype === "int32") ? "int32" : "float32");
  if (options.requiresGrad && dtype === "int32") throw new TypeError("tensor: only float32 tensors can require grad, got int32 values (pass dtype: 'float32')");
  // int32 values are read exactly (float64) and checked below, never truncated on the way
  const hostDType = dtype === "int32" ? "float64" : dtype;
  let nd: NDArray;
  if (values instanceof NDArray) nd = values;
  else if (typeof values === "number") nd = fromArray([values], { dtype: hostDType });
  else if (typed) {
    const shape = options.shape ?? [values.length];
    if (sizeOf(shape) !== values.length) throw new RangeError(`tensor: shape [${shape.join(",")}] needs ${sizeOf(shape)} values, got ${values.length}`);
    nd = new NDArray(values, shape);
  } else nd = fromArray(values as never, { dtype: hostDType });
  const shape = options.shape ?? (typeof values === "number" ? [] : nd.shape);
  if (sizeOf(shape) !== nd.size) throw new RangeError(`tensor: shape [${shape.join(",")}] needs ${sizeOf(shape)} values, got ${nd.size}`);
  const device = options.device ?? getDevice();
  const t = empty(device, shape, dtype);
  const flat = nd.toFlat();
  if (dtype === "int32") {
    const bad = flat.findIndex((v) => !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31);
    if (bad >= 0) {
      t.dispose();
      throw new RangeError(`tensor: int32 values must be integers in [-2^31, 2^31), got ${flat[bad]} at index ${bad}`);
    }
  }
  device.write(t.storage.buffer, dtype === "int32" ? Int32Array.from(flat) : flat instanceof Int32Array ? Float32Array.from(flat) : flat);
  t.requiresGrad = options.requiresGrad ?? false;
  return t;
}

/**
 * A tensor filled with `value`.
 *
 * @example
 * ```ts
 * import { full } from "@tessera/autograd";
 * full([2, 2], 0.5);
 * ```
 */
export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  return filled("full", shape, value, options);
}

function filled(fn: string, shape: readonly number[], value: number, options: TensorOptions): Tensor {
  checkShape(fn, "shape", shape);
  checkNumber(fn, "value", value);
  checkTensorOptions(fn, options);
  if (options.dtype === "int32" && !Number.isInteger(value)) throw new RangeError(`${fn}: value must be an integer for dtype 'int32', got ${value}`);
  const t = empty(options.device ?? getDevice(), shape, options.dtype ?? "float32");
  if (value !== 0) t.device.fill(shape, value, t.view());
  t.requiresGrad = options.requiresGrad ?? false;
  return t;
}

/**
 * A tensor of zeros.
 *
 * @example
 * ```ts
 * import { zeros } from "@tessera/autograd";
 * zeros([3, 4], { requiresGrad: true });
 * ```
 */
export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return filled("zeros", shape, 0, options);
}

/**
 * A tensor of ones.
 *
 * @example
 * ```ts
 * import { ones } from "@tessera/autograd";
 * ones([2]);
 * ```
 */
export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return filled("ones", shape, 1, options);
}

/**
 * Normal random values from a seeded {@link Rng} (drawn on the host, so identical on every device).
 *
 * @example
 * ```ts
 * import { randn } from "@tessera/autograd";
 * import { Rng } from "@tessera/ndarray";
 * const w = randn([6, 1, 5, 5], new Rng(0), { std: 0.1, requiresGrad: true });
 * ```
 */
export function randn(shape: readonly number[], rng: Rng, options: TensorOptions & { readonly mean?: number; readonly std?: number } = {}): Tensor {
  checkShape("randn", "shape", shape);
  checkRng("randn", rng, "fillNormal");
  checkRandomOptions("randn", options);
  const { mean = 0, std = 1 } = options;
  checkFinite("randn", "options.mean", mean);
  checkFinite("randn", "options.std", std);
  if (std < 0) throw new RangeError(`randn: options.std must be >= 0, got ${std}`);
  const data = new Float32Array(sizeOf(shape));
  rng.fillNormal(data, mean, std);
  return tensor(data, { ...options, shape });
}

/**
 * Uniform random values in [low, high) from a seeded {@link Rng}.
 *
 * @example
 * ```ts
 * import { rand } from "@tessera/autograd";
 * import { Rng } from "@tessera/ndarray";
 * const b = rand([10], new Rng(1), { low: -0.1, high: 0.1 });
 * ```
 */
export function rand(shape: readonly number[], rng: Rng, options: TensorOptions & { readonly low?: number; readonly high?: number } = {}): Tensor {
  checkShape("rand", "shape", shape);
  checkRng("rand", rng, "fillUniform");
  checkRandomOptions("rand", options);
  const { low = 0, high = 1 } = options;
  checkFinite("rand", "options.low", low);
  checkFinite("rand", "options.high", high);
  if (low > high) throw new RangeError(`rand: options.low (${low}) must be <= options.high (${high})`);
  const data = new Float32Array(sizeOf(shape));
  rng.fillUniform(data, low, high);
  return tensor(data, { ...options, shape });
}

/** Random values are float32: an int32 dtype would truncate them silently. */
function checkRandomOptions(fn: string, options: TensorOptions): void {
  checkTensorOptions(fn, options);
  if (options.dtype !== undefined && options.dtype !== "float32") throw new TypeError(`${fn}: options.dtype must be 'float32' (random values are floats), got ${describe(options.dtype)}`);
}
