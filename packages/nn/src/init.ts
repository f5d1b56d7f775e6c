/**
 * Parameter initialisation with PyTorch's defaults, from a seeded Rng.
 */
import { keep, rand, randn, type Tensor } from "@tessera/autograd";
import type { Device } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";

/**
 * Options shared by layers with parameters.
 *
 * @example
 * ```ts
 * import { Linear } from "@tessera/nn";
 * import { Rng } from "@tessera/ndarray";
 * new Linear(4, 2, { rng: new Rng(42) });
 * ```
 */
export interface InitOptions {
  /** Random source of the initial values (default: a fresh `Rng(0)`; pass one Rng through a model so layers differ). */
  readonly rng?: Rng;
  /** Device of the parameters (default: the registry's default). */
  readonly device?: Device;
}

/**
 * U(−bound, bound) parameter, kept out of every scope.
 *
 * @example
 * ```ts
 * import { uniformParameter } from "@tessera/nn";
 * import { Rng } from "@tessera/ndarray";
 * const w = uniformParameter([10, 4], 0.5, { rng: new Rng(1) });
 * ```
 */
export function uniformParameter(shape: readonly number[], bound: number, o: InitOptions = {}): Tensor {
  return keep(rand(shape, o.rng ?? new Rng(0), { low: -bound, high: bound, requiresGrad: true, device: o.device }));
}

/**
 * N(0, std²) parameter, kept out of every scope.
 *
 * @example
 * ```ts
 * import { normalParameter } from "@tessera/nn";
 * import { Rng } from "@tessera/ndarray";
 * const w = normalParameter([64, 3, 3, 3], 0.01, { rng: new Rng(1) });
 * ```
 */
export function normalParameter(shape: readonly number[], std: number, o: InitOptions = {}): Tensor {
  return keep(randn(shape, o.rng ?? new Rng(0), { std, requiresGrad: true, device: o.device }));
}

/**
 * PyTorch's default for Linear and Conv weights: kaiming_uniform_(a = √5), i.e. U(±1/√fan_in);
 * biases use the same bound.
 *
 * @example
 * ```ts
 * import { defaultBound } from "@tessera/nn";
 * defaultBound(400); // 0.05
 * ```
 */
export function defaultBound(fanIn: number): number {
  return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}

/**
 * He (Kaiming) normal initialisation in fan-out mode for ReLU networks, as torchvision's ResNet
 * and VGG use: N(0, 2/fan_out).
 *
 * @example
 * ```ts
 * import { kaimingNormalStd } from "@tessera/nn";
 * kaimingNormalStd(64 * 3 * 3); // √(2/576)
 * ```
 */
export function kaimingNormalStd(fanOut: number): number {
  return Math.sqrt(2 / fanOut);
}
