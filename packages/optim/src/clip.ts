/**
 * Gradient clipping by global norm and by value (torch.nn.utils.clip_grad_norm_ / clip_grad_value_).
 */
import type { Tensor } from "@tessera/autograd";

/**
 * Scales all gradients so that their global 2-norm is at most `maxNorm`; returns the norm before
 * clipping. Reads one number per parameter back, so it needs a CPU device (`js`, `wasm`).
 *
 * @example
 * ```ts
 * import { clipGradNorm } from "@tessera/optim";
 * // loss.backward(); clipGradNorm(model.parameters(), 1.0); optimizer.step();
 * ```
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): number {
  if (!(maxNorm >= 0)) throw new RangeError(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  const grads = params.map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return 0;
  let total = 0;
  for (const g of grads) {
    const d = g.device;
    if (!d.readSync) throw new Error(`clipGradNorm: the '${d.name}' device reads asynchronously; clip on a CPU device`);
    const out = d.alloc(1);
    d.snrm2(g.size, g.storage.buffer, 1, g.offset, out, 0);
    const n = d.readSync(out)[0];
    d.free(out);
    total += n * n;
  }
  const norm = Math.sqrt(total);
  if (Number.isNaN(norm)) throw new RangeError("clipGradNorm: the gradient norm is NaN");
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (const g of grads) g.device.sscal(g.size, coef, g.storage.buffer, 1, g.offset);
  return norm;
}

/**
 * Clamps every gradient element to [−clip, clip].
 *
 * @example
 * ```ts
 * import { clipGradValue } from "@tessera/optim";
 * // clipGradValue(model.parameters(), 0.5);
 * ```
 */
export function clipGradValue(params: readonly Tensor[], clip: number): void {
  if (!(clip >= 0)) throw new RangeError(`clipGradValue: clip must be >= 0, got ${clip}`);
  for (const p of params) {
    const g = p.grad;
    if (!g) continue;
    const v = { buffer: g.storage.buffer, offset: g.offset, strides: [1] };
    g.device.unary("clamp", [g.size], v, v, -clip, clip);
  }
}
