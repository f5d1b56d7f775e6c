/**
 * `@tessera/autograd/testing`: the float64 finite-difference gradient check every op's test uses.
 *
 * @example
 * ```ts
 * import { gradcheck } from "@tessera/autograd/testing";
 * import { mul, sum } from "@tessera/autograd";
 * gradcheck((x) => mul(x, x), [{ shape: [3], data: [1, 2, 3] }]);
 * ```
 * @packageDocumentation
 */
import { counterUniform, JsDevice, type Device } from "@tessera/blas";
import { describe } from "./args.js";
import { tensor } from "./create.js";
import { noGrad } from "./grad-mode.js";
import { mul, sum } from "./index.js";
import { scope } from "./scope.js";
import { gather, sizeOf, type Tensor } from "./tensor.js";

/** Central-difference step of {@link gradcheck}. */
export const GRADCHECK_EPS = 1e-6;
/** Relative tolerance of {@link gradcheck}. */
export const GRADCHECK_RTOL = 1e-5;
/** Absolute tolerance of {@link gradcheck}. */
export const GRADCHECK_ATOL = 1e-7;

/**
 * One input of {@link gradcheck}: values (row-major) and a shape.
 *
 * @example
 * ```ts
 * import type { GradcheckInput } from "@tessera/autograd/testing";
 * const x: GradcheckInput = { shape: [2, 2], data: [1, 2, 3, 4] };
 * ```
 */
export interface GradcheckInput {
  /** Dimensions. */
  readonly shape: readonly number[];
  /** Values, row-major. */
  readonly data: ArrayLike<number>;
  /** Check the gradient of this input (default true). */
  readonly check?: boolean;
}

/**
 * Options of {@link gradcheck}.
 *
 * @example
 * ```ts
 * import type { GradcheckOptions } from "@tessera/autograd/testing";
 * const o: GradcheckOptions = { rtol: 1e-4 };
 * ```
 */
export interface GradcheckOptions {
  /** Step (default {@link GRADCHECK_EPS}). */ readonly eps?: number;
  /** Relative tolerance (default {@link GRADCHECK_RTOL}). */ readonly rtol?: number;
  /** Absolute tolerance (default {@link GRADCHECK_ATOL}). */ readonly atol?: number;
  /** Seed of the random projection of the output. */ readonly seed?: number;
}

/** The float64 reference device gradient checks run on. */
export const float64Device: Device = new JsDevice({ precision: "float64" });

/** Exact host copy (float64) of a tensor on a CPU device. */
function read(t: Tensor): Float64Array {
  return gather(t, t.device.readSync!(t.storage.buffer), true) as Float64Array;
}

/**
 * Checks the analytic gradients of `f` against float64 central differences. The inputs become
 * float64 leaf tensors on {@link float64Device}; the output is projected on a fixed random vector
 * r (L = Σ f(x)·r) so every output element matters. Throws with the input, element, analytic and
 * numeric values on the first mismatch; returns the largest relative error otherwise.
 *
 * @example
 * ```ts
 * import { gradcheck } from "@tessera/autograd/testing";
 * import { matmul } from "@tessera/autograd";
 * gradcheck((a, b) => matmul(a, b), [{ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, { shape: [3, 1], data: [1, -1, 2] }]);
 * ```
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: readonly GradcheckInput[], o: GradcheckOptions = {}): number {
  if (typeof f !== "function") throw new TypeError(`gradcheck: f must be a function, got ${describe(f)}`);
  if (!Array.isArray(inputs)) throw new TypeError(`gradcheck: inputs must be an array of { shape, data }, got ${describe(inputs)}`);
  const eps = o.eps ?? GRADCHECK_EPS;
  const rtol = o.rtol ?? GRADCHECK_RTOL;
  const atol = o.atol ?? GRADCHECK_ATOL;
  const device = float64Device;
  return scope(() => {
    const xs = inputs.map((inp, i) => {
      if (sizeOf(inp.shape) !== inp.data.length) throw new RangeError(`gradcheck: input ${i} has ${inp.data.length} values for shape [${inp.shape.join(",")}]`);
      return tensor(Float64Array.from(inp.data), { shape: inp.shape, device, requiresGrad: inp.check !== false });
    });
    const out0 = f(...xs);
    const r = tensor(Float64Array.from({ length: out0.size }, (_, i) => counterUniform(o.seed ?? 17, i) * 2 - 1), { shape: out0.shape, device });
    const loss = sum(mul(out0, r));
    loss.backward();
    const lossAt = () => noGrad(() => scope(() => read(sum(mul(f(...xs), r)))[0]));
    let worst = 0;
    xs.forEach((x, i) => {
      if (!inputs[i].check && inputs[i].check !== undefined) return;
      if (!x.grad) throw new Error(`gradcheck: input ${i} received no gradient (is it used?)`);
      const analytic = read(x.grad);
      const raw = device.readSync!(x.storage.buffer) as Float64Array;
      for (let j = 0; j < x.size; j++) {
        const v = raw[j];
        device.write(x.storage.buffer, [v + eps], j);
        const lp = lossAt();
        device.write(x.storage.buffer, [v - eps], j);
        const lm = lossAt();
        device.write(x.storage.buffer, [v], j);
        const numeric = (lp - lm) / (2 * eps);
        const err = Math.abs(analytic[j] - numeric);
        const scale = Math.max(Math.abs(analytic[j]), Math.abs(numeric));
        if (!(err <= atol + rtol * scale)) {
          throw new Error(`gradcheck: input ${i} [${inputs[i].shape.join(",")}] element ${j}: analytic ${analytic[j]}, numeric ${numeric} (|diff| ${err.toExponential(2)} > ${atol} + ${rtol}·${scale.toExponential(2)})`);
        }
        worst = Math.max(worst, scale > 0 ? err / scale : err);
      }
    });
    return worst;
  });
}
