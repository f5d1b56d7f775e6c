import { fusedConv2d, FusedConv2dPlan, keep, tensor, type Tensor } from "@tessera/autograd";
import { conv2dGeometry, type Conv2dOptions } from "@tessera/conv";
import { Module } from "../module.js";
import { Conv2d } from "./conv.js";
import { BatchNorm2d } from "./normalization.js";
import { padNCHW, type PaddingMode } from "./pad.js";

/**
 * An inference-only convolution with BatchNorm folded into its weights and bias, and an optional
 * residual and ReLU applied in the same pass (`fusedConv2d`): what {@link fuse} makes of
 * Conv2d → BatchNorm2d → ReLU, and of a ResNet block's last conv + bn + residual add + ReLU.
 * `forward(x, residual?)` computes `relu(conv(x, w') + b' + residual)`, the ReLU when built with
 * `relu: true`. The weights are plain tensors (not parameters): it cannot train, and its forward
 * throws in training mode.
 *
 * The folding, in float64 on the host and rounded once to float32: with s = γ/√(running_var + ε),
 * w' = w·s (per output channel) and b' = (b − running_mean)·s + β (b = 0 without a conv bias,
 * γ = 1 and β = 0 without affine). The scale is folded into the weights rather than kept as an
 * epilogue scale: it costs nothing per output, and the folded layer is an ordinary conv + bias
 * that every device runs, with or without a fused kernel.
 *
 * @example
 * ```ts
 * import { BatchNorm2d, Conv2d, FusedConv2d } from "@tessera/nn";
 * const conv = new Conv2d(3, 8, 3, { padding: 1, bias: false }), bn = new BatchNorm2d(8);
 * const fused = await FusedConv2d.fold(conv, bn.eval(), { relu: true }); // relu(bn(conv(x)))
 * ```
 */
export class FusedConv2d extends Module {
  /** The convolution's geometry options. */
  readonly options: Conv2dOptions;
  /** How the border is padded (as the folded Conv2d's). */
  readonly paddingMode: PaddingMode;
  /** Whether ReLU is applied last (after the residual when there is one). */
  readonly relu: boolean;
  private readonly hasBias: boolean;
  /** fusedConv2d with this layer's options and ReLU, resolved once per input shape. */
  private readonly plan: FusedConv2dPlan;

  /** Folded weights [out, in/groups, kh, kw] (the buffer `weight`). */
  get weight(): Tensor {
    return this.getBuffer("weight");
  }
  /** Folded bias [out] (the buffer `bias`), null when there was neither a conv bias nor a BatchNorm. */
  get bias(): Tensor | null {
    return this.hasBias ? this.getBuffer("bias") : null;
  }

  private constructor(weight: Tensor, bias: Tensor | null, options: Conv2dOptions, paddingMode: PaddingMode, relu: boolean) {
    super();
    // Buffers, not parameters: saved in the state dict and moved by to(), never trained.
    this.registerBuffer("weight", weight);
    if (bias !== null) this.registerBuffer("bias", bias);
    this.hasBias = bias !== null;
    this.plan = new FusedConv2dPlan(options, relu);
    // The plan's frozen copy: options that cannot change under the geometry it remembers.
    this.options = this.plan.options;
    this.paddingMode = paddingMode;
    this.relu = relu;
    this.training = false;
  }

  /**
   * Folds `bn` (in eval mode, or null for none) into `conv`; the result applies ReLU last when
   * `relu` is set. Neither input is changed. Throws when either is in training mode or bn's
   * channels differ from conv's outputs.
   *
   * @example
   * ```ts
   * import { BatchNorm2d, Conv2d, FusedConv2d } from "@tessera/nn";
   * const f = await FusedConv2d.fold(new Conv2d(1, 2, 3).eval(), new BatchNorm2d(2).eval(), { relu: false });
   * ```
   */
  static async fold(conv: Conv2d, bn: BatchNorm2d | null, o: { readonly relu: boolean }): Promise<FusedConv2d> {
    const fn = "FusedConv2d.fold";
    if (!(conv instanceof Conv2d)) throw new TypeError(`${fn}: conv must be a Conv2d, got ${describeModule(conv)}`);
    if (bn !== null && !(bn instanceof BatchNorm2d)) throw new TypeError(`${fn}: bn must be a BatchNorm2d or null, got ${describeModule(bn)}`);
    if (typeof o?.relu !== "boolean") throw new TypeError(`${fn}: options.relu must be a boolean, got ${typeof o?.relu}`);
    if (conv.training || bn?.training) {
      throw new Error(`${fn}: ${conv.training ? "conv" : "bn"} is in training mode; call eval() first (folding uses BatchNorm's running statistics)`);
    }
    if (bn && bn.numFeatures !== conv.outChannels) throw new RangeError(`${fn}: bn has ${bn.numFeatures} channels but conv has ${conv.outChannels} outputs`);
    const device = conv.weight.device;
    const w = await exact(conv.weight);
    const b = conv.bias ? await exact(conv.bias) : null;
    if (bn === null) {
      // Copies, so that the fused module shares no tensor with the original.
      const wc = keep(tensor(Float64Array.from(w), { shape: conv.weight.shape, device }));
      const bc = b ? keep(tensor(Float64Array.from(b), { device })) : null;
      return new FusedConv2d(wc, bc, { ...conv.options }, conv.paddingMode, o.relu);
    }
    const buffers = new Map(bn.namedBuffers());
    const mean = await exact(buffers.get("running_mean")!), variance = await exact(buffers.get("running_var")!);
    const gamma = bn.weight ? await exact(bn.weight) : null, beta = bn.bias ? await exact(bn.bias) : null;
    const OC = conv.outChannels, per = w.length / OC;
    const wf = new Float64Array(w.length), bf = new Float64Array(OC);
    for (let oc = 0; oc < OC; oc++) {
      const s = (gamma ? gamma[oc] : 1) / Math.sqrt(variance[oc] + bn.eps);
      for (let i = oc * per; i < (oc + 1) * per; i++) wf[i] = w[i] * s;
      bf[oc] = ((b ? b[oc] : 0) - mean[oc]) * s + (beta ? beta[oc] : 0);
    }
    const weight = keep(tensor(wf, { shape: conv.weight.shape, device }));
    const bias = keep(tensor(bf, { device }));
    return new FusedConv2d(weight, bias, { ...conv.options }, conv.paddingMode, o.relu);
  }

  /** relu(conv(x) + bias + residual) (the ReLU when built with it; the residual when given). */
  forward(x: Tensor, residual?: Tensor): Tensor {
    if (this.training) throw new Error("FusedConv2d: inference only; it cannot run in training mode (train the original module and fuse() again)");
    if (this.paddingMode === "zeros") return this.plan.run(x, this.weight, this.bias, residual);
    const e = { relu: this.relu, ...(residual === undefined ? {} : { residual }) };
    const padding = conv2dGeometry(x.shape, this.weight.shape, this.options).padding;
    const padded = padNCHW("FusedConv2d", x, padding, this.paddingMode);
    return fusedConv2d(padded, this.weight, this.bias, { ...this.options, padding: 0 }, e);
  }
}

/** A tensor's values as stored (float64 on a float64 device; `data()` rounds to float32). */
async function exact(t: Tensor): Promise<ArrayLike<number>> {
  return t.isContiguous ? t.device.read(t.storage.buffer, t.offset, t.size) : t.data();
}

/** The class name of a module, or the type of anything else. */
export function describeModule(m: unknown): string {
  return m instanceof Module ? m.constructor.name : m === null ? "null" : typeof m;
}
