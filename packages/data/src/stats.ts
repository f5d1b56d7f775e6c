/**
 * Per-channel statistics of a dataset, and the standard normalization constants.
 */
import { Dataset } from "./dataset.js";

/**
 * Mean of the MNIST training pixels scaled to [0, 1] (the customary constant).
 *
 * @example
 * ```ts
 * const t = normalize(MNIST_MEAN, MNIST_STD);
 * ```
 */
export const MNIST_MEAN = 0.1307;

/**
 * Standard deviation of the MNIST training pixels scaled to [0, 1].
 *
 * @example
 * ```ts
 * const t = normalize(MNIST_MEAN, MNIST_STD);
 * ```
 */
export const MNIST_STD = 0.3081;

/**
 * Per-channel (R, G, B) mean of the CIFAR-10 training pixels scaled to [0, 1].
 *
 * @example
 * ```ts
 * const t = normalize(CIFAR10_MEAN, CIFAR10_STD);
 * ```
 */
export const CIFAR10_MEAN: readonly number[] = Object.freeze([0.4914, 0.4822, 0.4465]);

/**
 * Per-channel (R, G, B) standard deviation of the CIFAR-10 training pixels scaled to [0, 1].
 *
 * @example
 * ```ts
 * const t = normalize(CIFAR10_MEAN, CIFAR10_STD);
 * ```
 */
export const CIFAR10_STD: readonly number[] = Object.freeze([0.247, 0.2435, 0.2616]);

/**
 * Per-channel mean and standard deviation.
 *
 * @example
 * ```ts
 * const s: ChannelStats = { mean: [0.1307], std: [0.3081] };
 * ```
 */
export interface ChannelStats {
  /** One mean per channel. */
  mean: number[];
  /** One (population) standard deviation per channel. */
  std: number[];
}

/**
 * Mean and population standard deviation of every channel over all images, with uint8 pixels
 * scaled to [0, 1] as the {@link DataLoader} does; the numbers to give {@link normalize}.
 * Accumulates in float64.
 *
 * @example
 * ```ts
 * const { train } = await loadBundledMnist();
 * const { mean, std } = channelStats(train); // about [0.13], [0.31]
 * ```
 */
export function channelStats(dataset: Dataset): ChannelStats {
  if (!(dataset instanceof Dataset)) throw new TypeError(`channelStats: dataset must be a Dataset`);
  if (dataset.length === 0) throw new RangeError(`channelStats: dataset is empty, expected at least 1 image`);
  const [c, h, w] = dataset.sampleShape;
  const plane = h * w;
  const scale = dataset.images instanceof Uint8Array ? 1 / 255 : 1;
  const sum = new Float64Array(c);
  const sumSq = new Float64Array(c);
  const px = dataset.images;
  for (let n = 0; n < dataset.length; n++) {
    for (let ch = 0; ch < c; ch++) {
      const start = (n * c + ch) * plane;
      let s = 0;
      let q = 0;
      for (let i = start; i < start + plane; i++) {
        const v = px[i] * scale;
        s += v;
        q += v * v;
      }
      sum[ch] += s;
      sumSq[ch] += q;
    }
  }
  const count = dataset.length * plane;
  const mean = Array.from(sum, (s) => s / count);
  const std = Array.from(sumSq, (q, ch) => Math.sqrt(Math.max(0, q / count - mean[ch] * mean[ch])));
  return { mean, std };
}
