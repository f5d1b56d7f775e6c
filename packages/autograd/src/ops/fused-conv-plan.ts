/**
 * {@link fusedConv2d} for a layer whose options and ReLU never change, with the work that depends
 * only on the operands' shapes done once per input shape.
 */
import { conv2dForwardPlan, conv2dGeometry, type Conv2dForwardRun, type Conv2dOptions, type ResolvedConv2d } from "@tessera/conv";
import type { Device } from "@tessera/blas";
import { checkOptions } from "../args.js";
import { gradEnabled } from "../grad-mode.js";
import { contiguousStrides, Tensor } from "../tensor.js";
import { fusedConv2d, workspace } from "./conv.js";
import { allocOutput } from "./util.js";

/** What one successful call fixed: the operands it saw and what their shapes resolved to. */
interface Resolved {
  readonly device: Device;
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  /** x's contiguous strides (`contiguousStrides`; a dimension of 1 may have any). */
  readonly xStrides: readonly number[];
  readonly outShape: readonly number[];
  readonly outStrides: readonly number[];
  readonly run: Conv2dForwardRun;
  readonly g: ResolvedConv2d;
}

/** A deep copy of conv options, frozen (a plan must not see them change). */
function frozenOptions(o: Conv2dOptions): Conv2dOptions {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k];
    copy[k] = Array.isArray(v) ? Object.freeze([...v]) : v;
  }
  return Object.freeze(copy) as Conv2dOptions;
}

/** Whether `t` (a tensor) has not been disposed. */
function live(t: Tensor): boolean {
  return !t.isDisposed && !t.storage.freed;
}

/** Whether t is a live float32 tensor on `d` of `shape`, contiguous as `Tensor.isContiguous` says (`strides` those of `shape`, offset any). */
function fits(t: Tensor, d: Device, shape: readonly number[], strides: readonly number[]): boolean {
  if (!(t instanceof Tensor) || t.device !== d || t.dtype !== "float32" || !live(t)) return false;
  const s = t.shape, st = t.strides;
  if (s.length !== shape.length) return false;
  for (let i = 0; i < s.length; i++) if (s[i] !== shape[i] || (s[i] !== 1 && st[i] !== strides[i])) return false;
  return true;
}

/**
 * {@link fusedConv2d} with fixed `options` and ReLU, for a layer that runs it again and again
 * (`nn.FusedConv2d` is built on it). The first call with an input shape runs `fusedConv2d` itself,
 * with all of its checks and errors; after that, a call with the same weight and bias tensors and
 * an input (and residual) of the same shapes, dense, float32 and on the same device reuses the
 * geometry and the route (Winograd, the device's fused kernel, or the lowering) that call
 * resolved, and goes to the device with no more checks than those: on a CNN, where this code runs
 * cold between kernels, that is ~50 µs a call less (ResNet-18: ~1 ms of a 55 ms forward on the
 * wasm device). Anything else (a new shape, a strided view, a gradient to record) takes the
 * checked path again. The result is `fusedConv2d`'s, bit for bit.
 *
 * @example
 * ```ts
 * import { FusedConv2dPlan, noGrad, tensor } from "@tessera/autograd";
 * const plan = new FusedConv2dPlan({ padding: 1 }, true);
 * const w = tensor(new Float32Array(9).fill(1), { shape: [1, 1, 3, 3] });
 * const x = tensor([[[[1, -2], [3, -4]]]]);              // [1, 1, 2, 2]
 * noGrad(() => plan.run(x, w, null));                      // relu(conv(x, w)): [[[[0, 0], [0, 0]]]]
 * ```
 */
export class FusedConv2dPlan {
  /** The options of every call (a frozen deep copy of those given). */
  readonly options: Conv2dOptions;
  /** Whether ReLU is applied last. */
  readonly relu: boolean;
  private last: Resolved | null = null;

  constructor(options: Conv2dOptions = {}, relu = false) {
    checkOptions("FusedConv2dPlan", "options", options, false);
    if (typeof relu !== "boolean") throw new TypeError(`FusedConv2dPlan: relu must be a boolean, got ${typeof relu}`);
    this.options = frozenOptions(options);
    this.relu = relu;
  }

  /** `relu(conv2d(x, weight) + bias + residual)` (the ReLU when the plan has it; the residual when given): {@link fusedConv2d}. */
  run(x: Tensor, weight: Tensor, bias: Tensor | null, residual?: Tensor | null): Tensor {
    const r = this.last, res = residual ?? null;
    if (r !== null && weight === r.weight && bias === r.bias && fits(x, r.device, r.g.inputShape, r.xStrides)
      && live(weight) && (bias === null || live(bias))
      && (res === null || fits(res, r.device, r.outShape, r.outStrides))
      && !(gradEnabled() && (x.requiresGrad || weight.requiresGrad || (bias !== null && bias.requiresGrad) || (res !== null && res.requiresGrad)))) {
      const y = allocOutput(x, r.outShape);
      try {
        r.run(x.storage.buffer, x.offset, weight.storage.buffer, weight.offset, bias === null ? null : bias.storage.buffer, bias === null ? 0 : bias.offset,
          y.storage.buffer, 0, workspace(r.device),
          res === null && !this.relu ? null : {
            scale: null, offsetScale: undefined, shift: null, offsetShift: undefined,
            residual: res === null ? null : res.storage.buffer, offsetResidual: res === null ? undefined : res.offset, relu: this.relu,
          });
      } catch (err) {
        y.dispose();
        throw err;
      }
      return y;
    }
    const y = fusedConv2d(x, weight, bias, this.options, res === null ? { relu: this.relu } : { relu: this.relu, residual: res });
    // It passed every check: remember what these operands resolved to (the fast path passes the
    // weight and bias buffers as they are, so only when fusedConv2d used them so, not a copy).
    const g = conv2dGeometry(x.shape, weight.shape, this.options);
    this.last = !weight.isContiguous || (bias !== null && !bias.isContiguous) ? null : {
      device: x.device, weight, bias, g,
      xStrides: contiguousStrides(x.shape), outShape: g.outputShape, outStrides: contiguousStrides(g.outputShape),
      run: conv2dForwardPlan(x.device, g),
    };
    return y;
  }
}
