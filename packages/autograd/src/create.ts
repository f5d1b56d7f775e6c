import { getDevice, type Device } from "@tessera/blas";
import { fromArray, MAX_ELEMENTS, NDArray, type Rng } from "@tessera/ndarray";
import { Storage } from "./storage.js";
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

function checkShape(fn: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`${fn}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  checkSize(fn, shape);
}

/** Throws unless a buffer can hold a tensor of `shape` (instead of V8's `Invalid typed array length`). */
function checkSize(fn: string, shape: readonly number[]): void {
  const n = sizeOf(shape);
  if (n > MAX_ELEMENTS) throw new RangeError(`${fn}: shape [${shape.join(",")}] has ${n} elements, more than the 2^32 = ${MAX_ELEMENTS} one buffer can hold`);
}

/** A new contiguous tensor of uninitialised (zero) values. @internal */
export function empty(device: Device, shape: readonly number[], dtype: TensorDType = "float32"): Tensor {
  checkSize("tensor", shape);
  const storage = new Storage(device, device.alloc(sizeOf(shape), dtype));
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
  const dtype = options.dtype ?? (values instanceof Int32Array || (values instanceof NDArray && values.dtype === "int32") ? "int32" : "float32");
  let nd: NDArray;
  if (values instanceof NDArray) nd = values;
  else if (typeof values === "number") nd = fromArray([values], { dtype });
  else if (ArrayBuffer.isView(values)) {
    const shape = options.shape ?? [values.length];
    checkShape("tensor", shape);
    if (sizeOf(shape) !== values.length) throw new RangeError(`tensor: shape [${shape.join(",")}] needs ${sizeOf(shape)} values, got ${values.length}`);
    nd = new NDArray(values, shape);
  } else nd = fromArray(values as never, { dtype });
  const shape = options.shape ?? (typeof values === "number" ? [] : nd.shape);
  if (sizeOf(shape) !== nd.size) throw new RangeError(`tensor: shape [${shape.join(",")}] needs ${sizeOf(shape)} values, got ${nd.size}`);
  const device = options.device ?? getDevice();
  const t = empty(device, shape, dtype);
  const flat = nd.toFlat();
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
  checkShape(fn, shape);
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
  checkShape("randn", shape);
  const data = new Float32Array(sizeOf(shape));
  rng.fillNormal(data, options.mean ?? 0, options.std ?? 1);
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
  checkShape("rand", shape);
  const data = new Float32Array(sizeOf(shape));
  rng.fillUniform(data, options.low ?? 0, options.high ?? 1);
  return tensor(data, { ...options, shape });
}
