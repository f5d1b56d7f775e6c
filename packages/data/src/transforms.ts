/**
 * Batch transforms applied on the fly by the {@link DataLoader}: normalization and the
 * augmentations of He et al.'s CIFAR recipe (pad-and-random-crop, horizontal flip).
 */
import { NDArray, type Rng } from "@tessera/ndarray";

/**
 * A transform of a float32 NCHW batch: returns the transformed batch, drawing any randomness
 * from `rng` (the loader passes a generator derived from its seed and the epoch, so every epoch
 * is reproducible). A transform may write into the batch it receives and return it (the loader's
 * batches are fresh buffers), or return a new array (for example of another size).
 *
 * @example
 * ```ts
 * const invert: Transform = (x) => {
 *   for (let i = 0; i < x.data.length; i++) x.data[i] = 1 - x.data[i];
 *   return x;
 * };
 * ```
 */
export type Transform = (batch: NDArray<"float32">, rng: Rng) => NDArray<"float32">;

/** Validates a batch and returns it contiguous with its [B, C, H, W]. */
function nchw(fn: string, batch: NDArray<"float32">): { x: NDArray<"float32">; b: number; c: number; h: number; w: number } {
  if (!(batch instanceof NDArray) || batch.dtype !== "float32") {
    throw new TypeError(`${fn}: batch must be a float32 NDArray, got ${batch instanceof NDArray ? batch.dtype : typeof batch}`);
  }
  if (batch.ndim !== 4) throw new RangeError(`${fn}: batch must be 4-D [B, C, H, W], got shape [${batch.shape.join(",")}]`);
  const [b, c, h, w] = batch.shape;
  return { x: batch.contiguous(), b, c, h, w };
}

function perChannel(fn: string, arg: string, v: number | readonly number[]): number[] {
  const list = typeof v === "number" ? [v] : Array.from(v);
  if (list.length === 0 || !list.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new RangeError(`${fn}: ${arg} must be a finite number or a non-empty list of them, got ${JSON.stringify(v)}`);
  }
  return list;
}

/**
 * Per-channel normalization `(x - mean[c]) / std[c]` (a single number applies to every channel).
 * Writes into the batch. For MNIST pixels in [0, 1] use `normalize(MNIST_MEAN, MNIST_STD)`.
 *
 * @param mean - One value, or one per channel.
 * @param std - One positive value, or one per channel.
 * @throws RangeError at application: `normalize: mean has 3 values, the batch has 1 channel`.
 *
 * @example
 * ```ts
 * const t = normalize([0.4914, 0.4822, 0.4465], [0.247, 0.2435, 0.2616]);
 * ```
 */
export function normalize(mean: number | readonly number[], std: number | readonly number[]): Transform {
  const m = perChannel("normalize", "mean", mean);
  const s = perChannel("normalize", "std", std);
  const bad = s.findIndex((v) => !(v > 0));
  if (bad >= 0) throw new RangeError(`normalize: std[${bad}] is ${s[bad]}, expected > 0`);
  return (batch) => {
    const { x, b, c, h, w } = nchw("normalize", batch);
    for (const [arg, list] of [["mean", m], ["std", s]] as const) {
      if (list.length !== 1 && list.length !== c) {
        throw new RangeError(`normalize: ${arg} has ${list.length} values, the batch has ${c} channel${c === 1 ? "" : "s"}`);
      }
    }
    const d = x.data;
    const plane = h * w;
    for (let n = 0; n < b; n++) {
      for (let ch = 0; ch < c; ch++) {
        const mu = m.length === 1 ? m[0] : m[ch];
        const inv = 1 / (s.length === 1 ? s[0] : s[ch]);
        const start = x.offset + (n * c + ch) * plane;
        for (let i = start; i < start + plane; i++) d[i] = (d[i] - mu) * inv;
      }
    }
    return x;
  };
}

/**
 * Random crop after zero padding (torchvision's `RandomCrop(size, padding)`, He et al.'s
 * "4 pixels are padded on each side, and a 32×32 crop is randomly sampled"): each image is padded
 * with `padding` zeros on every side and an `size` window is cut at a uniformly random position
 * (two `rng.integers` draws per image: top, then left). Returns a new [B, C, sh, sw] batch.
 *
 * @param size - Output height and width (one number for a square), at most the padded size.
 * @param padding - Zeros added on each side, 0 by default.
 * @throws RangeError at application: `randomCrop: size [36,36] is larger than the padded image [34,34] (28×28 + 2·3)`.
 *
 * @example
 * ```ts
 * const augment = compose(randomCrop(32, 4), randomHorizontalFlip());
 * ```
 */
export function randomCrop(size: number | readonly [number, number], padding = 0): Transform {
  const [sh, sw] = typeof size === "number" ? [size, size] : Array.from(size);
  if (!Number.isInteger(sh) || !Number.isInteger(sw) || sh < 1 || sw < 1 || (typeof size !== "number" && size.length !== 2)) {
    throw new RangeError(`randomCrop: size must be a positive integer or [height, width], got ${JSON.stringify(size)}`);
  }
  if (!Number.isInteger(padding) || padding < 0) throw new RangeError(`randomCrop: padding must be a non-negative integer, got ${padding}`);
  return (batch, rng) => {
    const { x, b, c, h, w } = nchw("randomCrop", batch);
    const ph = h + 2 * padding;
    const pw = w + 2 * padding;
    if (sh > ph || sw > pw) {
      throw new RangeError(`randomCrop: size [${sh},${sw}] is larger than the padded image [${ph},${pw}] (${h}×${w} + 2·${padding})`);
    }
    const out = new Float32Array(b * c * sh * sw);
    const src = x.data;
    for (let n = 0; n < b; n++) {
      const top = rng.integers(0, ph - sh + 1) - padding; // source row of output row 0
      const left = rng.integers(0, pw - sw + 1) - padding;
      const y0 = Math.max(0, -top);
      const y1 = Math.min(sh, h - top);
      const x0 = Math.max(0, -left);
      const x1 = Math.min(sw, w - left);
      if (y0 >= y1 || x0 >= x1) continue; // only padding in the window
      for (let ch = 0; ch < c; ch++) {
        const inPlane = x.offset + (n * c + ch) * h * w;
        const outPlane = (n * c + ch) * sh * sw;
        for (let y = y0; y < y1; y++) {
          const from = inPlane + (top + y) * w + left;
          out.set(src.subarray(from + x0, from + x1), outPlane + y * sw + x0);
        }
      }
    }
    return new NDArray<"float32">(out, [b, c, sh, sw]);
  };
}

/**
 * Flips each image left–right with probability `p` (one `rng.uniform()` draw per image, flipped
 * when it is below `p`). Writes into the batch.
 *
 * @param p - Probability of flipping, in [0, 1]; 0.5 by default.
 *
 * @example
 * ```ts
 * const flip = randomHorizontalFlip(0.5);
 * ```
 */
export function randomHorizontalFlip(p = 0.5): Transform {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`randomHorizontalFlip: p must be in [0, 1], got ${p}`);
  return (batch, rng) => {
    const { x, b, c, h, w } = nchw("randomHorizontalFlip", batch);
    const d = x.data;
    for (let n = 0; n < b; n++) {
      if (!(rng.uniform() < p)) continue;
      for (let row = 0; row < c * h; row++) {
        let i = x.offset + (n * c * h + row) * w;
        let j = i + w - 1;
        for (; i < j; i++, j--) {
          const t = d[i];
          d[i] = d[j];
          d[j] = t;
        }
      }
    }
    return x;
  };
}

/**
 * Chains transforms left to right, passing the same generator along.
 *
 * @example
 * ```ts
 * const train = compose(randomCrop(32, 4), randomHorizontalFlip(), normalize(CIFAR10_MEAN, CIFAR10_STD));
 * ```
 */
export function compose(...transforms: Transform[]): Transform {
  const bad = transforms.findIndex((t) => typeof t !== "function");
  if (bad >= 0) throw new TypeError(`compose: transforms[${bad}] is ${typeof transforms[bad]}, expected a Transform function`);
  return (batch, rng) => transforms.reduce((x, t) => t(x, rng), batch);
}
