import type { Device, View } from "@tessera/blas";
import { NDArray } from "@tessera/ndarray";
import { backward as runBackward, type BackwardOptions } from "./backward.js";
import type { GradFn } from "./grad-fn.js";
import { checkGradFn, releaseNode, swapNode } from "./graph.js";
import { formatTensor } from "./print.js";
import { track } from "./scope.js";
import { Storage } from "./storage.js";
import { moveTo, moveToAsync } from "./transfer.js";

/** Element type of a tensor: float32 for values, int32 for labels and indices. */
export type TensorDType = "float32" | "int32";

let nextId = 0;

/** Row-major strides of a shape. @internal */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

/** Number of elements of a shape. @internal */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * A value on a {@link Device} with shape, strides and offset (views share storage), that can
 * record how it was made so that {@link Tensor.backward} computes gradients. Create tensors with
 * `tensor`, `zeros`, `randn`…, combine them with the ops, and free them with `dispose()` or a
 * `scope`.
 *
 * @example
 * ```ts
 * import { tensor, mul, sum } from "@tessera/autograd";
 * const w = tensor([1, 2, 3], { requiresGrad: true });
 * const loss = sum(mul(w, w));
 * loss.backward();
 * await w.grad!.data(); // Float32Array [2, 4, 6]
 * ```
 */
export class Tensor {
  /** Marks tensors for duck typing across package copies. */
  readonly isTensor = true;
  /** Unique, increasing id (creation order). */
  readonly id = nextId++;
  /** Whether gradients flow to this tensor. */
  requiresGrad: boolean;
  /**
   * Accumulated gradient after `backward()` (leaves, or tensors with `retainGrad()`). The tensor
   * owns it: no scope frees it, `dispose()` does; set it to null (after disposing it) to start over.
   */
  grad: Tensor | null = null;
  /** Keep `.grad` on this non-leaf tensor during backward. */
  retainsGrad = false;
  /** Number of graph nodes (and running backward passes) that need this tensor. @internal */
  graphRefs = 0;
  /** A scope ended without keeping this tensor: it is freed once `graphRefs` reaches 0. @internal */
  deferred = false;
  /** The op of this tensor's node once backward() or dispose() freed it; null otherwise. @internal */
  freedOp: string | null = null;
  private node: GradFn | null = null;
  private disposed = false;

  /** Wraps storage; use the creation functions instead. @internal */
  constructor(
    /** Device memory (shared by views). @internal */ readonly storage: Storage,
    /** Dimensions. */ readonly shape: readonly number[],
    /** Element strides. */ readonly strides: readonly number[],
    /** Element offset into the storage. */ readonly offset: number,
    /** Element type. */ readonly dtype: TensorDType,
    gradFn: GradFn | null = null,
    requiresGrad = false,
  ) {
    this.gradFn = gradFn;
    this.requiresGrad = requiresGrad;
    track(this);
  }

  /**
   * The op that made this tensor (null for leaves, and once `backward()` or `dispose()` freed the
   * node). A node keeps its inputs and saved buffers alive, also past the scope that made them.
   */
  get gradFn(): GradFn | null {
    return this.node;
  }
  /** Attaches a node (its inputs and saved tensors are then kept alive by it) or detaches it with null. */
  set gradFn(fn: GradFn | null) {
    if (fn !== null) checkGradFn(fn);
    const old = this.node;
    this.node = fn;
    if (fn) this.freedOp = null;
    swapNode(old, fn);
  }

  /** Detaches and frees this tensor's node, remembering its op for messages. @internal */
  freeNode(): void {
    const fn = this.node;
    if (!fn) return;
    this.node = null;
    this.freedOp = fn.name;
    releaseNode(fn);
  }

  /** The device holding the values. */
  get device(): Device {
    return this.storage.device;
  }
  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }
  /** True for tensors made by the user (no recorded op); a result stays a non-leaf after backward. */
  get isLeaf(): boolean {
    return this.node === null && this.freedOp === null;
  }
  /** True after `dispose()`. */
  get isDisposed(): boolean {
    return this.disposed;
  }
  /** Row-major contiguous (any offset). */
  get isContiguous(): boolean {
    const c = contiguousStrides(this.shape);
    return this.shape.every((d, i) => d === 1 || c[i] === this.strides[i]);
  }

  /** The device view of this tensor (buffer, offset, strides). @internal */
  view(): View {
    this.assertLive("view");
    return { buffer: this.storage.buffer, offset: this.offset, strides: this.strides };
  }

  /** Throws when the tensor was disposed. @internal */
  assertLive(op: string): void {
    if (this.disposed || this.storage.freed) throw new Error(`${op}: tensor #${this.id} of shape [${this.shape.join(",")}] was disposed`);
  }

  /**
   * Moves `src`'s storage into this tensor and disposes `src`, keeping this object (its id, grad
   * flag and every reference to it). `src` must have this tensor's shape and dtype and no other
   * view. What `Module.to(device)` uses so that an optimizer built before the move keeps updating
   * the same parameters (PyTorch moves a parameter's data, not the parameter).
   * @internal
   */
  adoptStorage(src: Tensor): void {
    this.assertLive("adoptStorage");
    src.assertLive("adoptStorage");
    if (src === this) return;
    if (src.dtype !== this.dtype || src.ndim !== this.ndim || src.shape.some((d, i) => d !== this.shape[i])) {
      throw new RangeError(`adoptStorage: source [${src.shape.join(",")}] ${src.dtype} does not match [${this.shape.join(",")}] ${this.dtype}`);
    }
    if (!src.storage.exclusive) throw new Error("adoptStorage: the source tensor's storage is shared with a view");
    const old = this.storage;
    const self = this as unknown as { storage: Storage; strides: readonly number[]; offset: number };
    self.storage = src.storage.retain();
    self.strides = src.strides;
    self.offset = src.offset;
    src.dispose();
    old.release();
  }

  /**
   * Keeps `.grad` on this intermediate tensor during `backward()`.
   *
   * @example
   * ```ts
   * import { tensor, relu, sum } from "@tessera/autograd";
   * const h = relu(tensor([1, -1], { requiresGrad: true })).retainGrad();
   * sum(h).backward(); // h.grad is [1, 1]
   * ```
   */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /**
   * Frees the storage (when no other view uses it), the gradient and the node that made this
   * tensor (so intermediates a scope kept for its graph are freed too). Safe to call twice.
   *
   * @example
   * ```ts
   * import { zeros } from "@tessera/autograd";
   * const t = zeros([1000]);
   * t.dispose();
   * ```
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.deferred = false;
    this.storage.release();
    this.grad?.dispose();
    this.grad = null;
    this.freeNode();
  }

  /**
   * Computes gradients of this tensor with respect to every tensor that requires them and adds
   * them to their `.grad` (gradients accumulate across calls, as in PyTorch), then frees the graph
   * (first order only). A non-scalar tensor needs an explicit upstream `grad` of its shape. A
   * second backward through a freed graph throws, unless the first passed `{ retainGraph: true }`.
   *
   * @example
   * ```ts
   * import { tensor, sum, mul } from "@tessera/autograd";
   * const x = tensor([3], { requiresGrad: true });
   * sum(mul(x, x)).backward(); // x.grad = [6]
   * ```
   */
  backward(grad?: Tensor | null, options?: BackwardOptions): void {
    runBackward(this, grad ?? undefined, options);
  }

  /**
   * Reads the values back as a contiguous host array (async: GPU reads are).
   *
   * @example
   * ```ts
   * import { tensor } from "@tessera/autograd";
   * await tensor([[1, 2], [3, 4]]).data(); // Float32Array [1, 2, 3, 4]
   * ```
   */
  async data(): Promise<Float32Array | Int32Array> {
    this.assertLive("data");
    const raw = await this.device.read(this.storage.buffer);
    return gather(this, raw) as Float32Array | Int32Array;
  }

  /**
   * Synchronous read on CPU devices (`js`, `wasm`); throws on devices without `readSync`.
   *
   * @example
   * ```ts
   * import { tensor } from "@tessera/autograd";
   * tensor([1, 2]).dataSync(); // Float32Array [1, 2]
   * ```
   */
  dataSync(): Float32Array | Int32Array {
    this.assertLive("dataSync");
    if (!this.device.readSync) throw new Error(`dataSync: the '${this.device.name}' device reads asynchronously; use await tensor.data()`);
    return gather(this, this.device.readSync(this.storage.buffer)) as Float32Array | Int32Array;
  }

  /**
   * The value of a one-element tensor, read synchronously (`js`, `wasm`). Devices that read
   * asynchronously (`webgpu`) throw and point to {@link Tensor.itemAsync}.
   *
   * @example
   * ```ts
   * import { tensor } from "@tessera/autograd";
   * tensor([42]).item(); // 42
   * tensor([0.25]).item().toFixed(2); // "0.25"
   * ```
   */
  item(): number {
    this.checkOneElement("item");
    if (!this.device.readSync) throw new Error(`item: the '${this.device.name}' device reads asynchronously; use await tensor.itemAsync()`);
    return this.device.readSync(this.storage.buffer, this.offset, 1)[0];
  }

  /**
   * The value of a one-element tensor on any device, including those that read asynchronously.
   *
   * @example
   * ```ts
   * import { tensor } from "@tessera/autograd";
   * await tensor([42]).itemAsync(); // 42
   * ```
   */
  async itemAsync(): Promise<number> {
    this.checkOneElement("itemAsync");
    return (await this.device.read(this.storage.buffer, this.offset, 1))[0];
  }

  private checkOneElement(fn: string): void {
    this.assertLive(fn);
    if (this.size !== 1) throw new Error(`${fn}: tensor has ${this.size} elements (shape [${this.shape.join(",")}]), expected 1`);
  }

  /**
   * This tensor on `device`: itself when it is already there (as PyTorch), else a copy. The copy is
   * differentiable (gradients flow back to this tensor's device). Reads synchronously, so the
   * source device needs `readSync`; from a GPU device use {@link Tensor.toAsync}.
   *
   * @example
   * ```ts
   * import { tensor } from "@tessera/autograd";
   * import { JsDevice } from "@tessera/blas";
   * const other = new JsDevice();
   * tensor([1, 2]).to(other).device === other; // true
   * ```
   */
  to(device: Device): Tensor {
    return moveTo(this, device);
  }

  /**
   * Like {@link Tensor.to}, for any source device (reads asynchronously).
   *
   * @example
   * ```ts
   * import { tensor } from "@tessera/autograd";
   * import { JsDevice } from "@tessera/blas";
   * const t = await tensor([1, 2]).toAsync(new JsDevice());
   * ```
   */
  toAsync(device: Device): Promise<Tensor> {
    return moveToAsync(this, device);
  }

  /**
   * Copies the values into an NDArray of the same shape.
   *
   * @example
   * ```ts
   * import { tensor } from "@tessera/autograd";
   * (await tensor([[1, 2]]).toNDArray()).shape; // [1, 2]
   * ```
   */
  async toNDArray(): Promise<NDArray> {
    const d = await this.data();
    return new NDArray(d instanceof Int32Array ? d : Float32Array.from(d), [...this.shape]);
  }

  /**
   * The values as NDArray prints them (NumPy style, large tensors elided) with shape, dtype,
   * device and requiresGrad; values are left out on devices that read only asynchronously.
   *
   * @example
   * ```ts
   * import { tensor } from "@tessera/autograd";
   * String(tensor([1, 2]));
   * // tensor([1, 2], shape=[2], dtype=float32, device=js, requiresGrad=false)
   * String(tensor([[1, 2], [3, 4]])); // a long last line moves the description to its own line:
   * // tensor([[1, 2],
   * //         [3, 4]],
   * //        shape=[2, 2], dtype=float32, device=js, requiresGrad=false)
   * ```
   */
  toString(): string {
    return formatTensor(this);
  }
}

// What `console.log` and `util.inspect` print in Node (the symbol is global: no node:util import,
// so browser bundles stay free of Node modules).
Object.defineProperty(Tensor.prototype, Symbol.for("nodejs.util.inspect.custom"), {
  value(this: Tensor): string {
    return formatTensor(this);
  },
});

/** Host copy of a strided tensor from its storage's raw contents (Float64Array when `exact`). @internal */
export function gather(t: Tensor, raw: ArrayLike<number>, exact = false): Float32Array | Float64Array | Int32Array {
  const out = t.dtype === "int32" ? new Int32Array(t.size) : exact ? new Float64Array(t.size) : new Float32Array(t.size);
  const nd = t.ndim;
  if (t.size === 0) return out;
  const idx = new Array<number>(nd).fill(0);
  let off = t.offset;
  for (let i = 0; i < out.length; i++) {
    out[i] = raw[off];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      off += t.strides[d];
      if (idx[d] < t.shape[d]) break;
      off -= t.strides[d] * t.shape[d];
      idx[d] = 0;
    }
  }
  return out;
}
