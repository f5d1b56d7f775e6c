import type { Device } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";

/**
 * Options every model factory takes.
 *
 * @example
 * ```ts
 * import { lenet5 } from "@tessera/models";
 * lenet5({ numClasses: 10, seed: 42 });
 * ```
 */
export interface ModelOptions {
  /** Output classes (default: the model's dataset's, e.g. 10 for MNIST, 1000 for ImageNet). */
  readonly numClasses?: number;
  /** Seed of the initialisation (default 0). */
  readonly seed?: number;
  /** Device of the parameters (default: the registry's default). */
  readonly device?: Device;
}

/**
 * The initialisation a model passes to each of its layers and blocks: one shared `Rng`, so that
 * layers get different values and the whole model is reproducible from its seed, and the device
 * of the parameters.
 *
 * @example
 * ```ts
 * import { BasicBlock, type Init } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * const i: Init = { rng: new Rng(0) };
 * new BasicBlock(64, 64, 1, null, i);
 * ```
 */
export interface Init {
  /** Random source of every initial value, advanced by each layer. */
  rng: Rng;
  /** Device of the parameters (default: the registry's default). */
  device?: Device;
}

/** The init options a factory passes to every layer: one Rng so layers differ. @internal */
export function init(o: ModelOptions): Init {
  return { rng: new Rng(o.seed ?? 0), device: o.device };
}

/** Validates numClasses. @internal */
export function classes(name: string, o: ModelOptions, dflt: number): number {
  const n = o.numClasses ?? dflt;
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name}: numClasses must be a positive integer, got ${n}`);
  return n;
}

/** Rejects keys a factory does not read (a typo such as `aux_logits` would build another model). @internal */
export { rejectUnknownOptions } from "@tessera/optim";
