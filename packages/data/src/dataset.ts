/**
 * An in-memory labelled image dataset: N images of shape [C, H, W] and N integer labels.
 */

/**
 * The shape of one image: channels, height, width.
 *
 * @example
 * ```ts
 * const mnist: SampleShape = [1, 28, 28];
 * ```
 */
export type SampleShape = readonly [c: number, h: number, w: number];

/**
 * Options for the {@link Dataset} constructor.
 *
 * @example
 * ```ts
 * const opts: DatasetOptions = { numClasses: 10 };
 * ```
 */
export interface DatasetOptions {
  /** Number of classes; labels must lie in `[0, numClasses)`. Default: the largest label + 1. */
  numClasses?: number;
}

/**
 * Labelled images held in memory, N×C×H×W row-major (NCHW). Pixels are either `Uint8Array`
 * (0…255, the compact form datasets are stored in; {@link DataLoader} scales them to [0, 1]) or
 * `Float32Array` (used as is). Labels are int32 class indices in `[0, numClasses)`.
 *
 * @example
 * ```ts
 * const images = new Uint8Array(2 * 1 * 28 * 28);
 * const ds = new Dataset(images, new Int32Array([3, 7]), [1, 28, 28], { numClasses: 10 });
 * ds.length; // 2
 * ```
 */
export class Dataset {
  /** Pixels of all images, NCHW row-major. */
  readonly images: Uint8Array | Float32Array;
  /** One class index per image. */
  readonly labels: Int32Array;
  /** Shape of one image, [C, H, W]. */
  readonly sampleShape: SampleShape;
  /** Number of classes (labels lie in `[0, numClasses)`). */
  readonly numClasses: number;

  /**
   * Wraps images and labels without copying them, after validating sizes and label range.
   *
   * @param images - N·C·H·W pixels, NCHW row-major.
   * @param labels - N class indices.
   * @param sampleShape - [C, H, W] of one image (positive integers).
   * @param options - The number of classes.
   * @throws RangeError `Dataset: images has 1000 elements, expected 2 labels × [1,28,28] = 1568`.
   *
   * @example
   * ```ts
   * const ds = new Dataset(new Float32Array(3 * 4), new Int32Array([0, 1, 0]), [1, 2, 2]);
   * ds.numClasses; // 2
   * ```
   */
  constructor(images: Uint8Array | Float32Array, labels: Int32Array, sampleShape: SampleShape, options: DatasetOptions = {}) {
    if (!(images instanceof Uint8Array || images instanceof Float32Array)) {
      throw new TypeError(`Dataset: images must be a Uint8Array or Float32Array, got ${className(images)}`);
    }
    if (!(labels instanceof Int32Array)) throw new TypeError(`Dataset: labels must be an Int32Array, got ${className(labels)}`);
    if (!Array.isArray(sampleShape) || sampleShape.length !== 3 || !sampleShape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new RangeError(`Dataset: sampleShape must be [C, H, W] with positive integers, got ${JSON.stringify(sampleShape)}`);
    }
    const [c, h, w] = sampleShape;
    const per = c * h * w;
    if (images.length !== labels.length * per) {
      throw new RangeError(
        `Dataset: images has ${images.length} elements, expected ${labels.length} labels × [${c},${h},${w}] = ${labels.length * per}`,
      );
    }
    let maxLabel = -1;
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (l < 0) throw new RangeError(`Dataset: labels[${i}] is ${l}, expected a class index >= 0`);
      if (l > maxLabel) maxLabel = l;
    }
    const numClasses = options.numClasses ?? maxLabel + 1;
    if (!Number.isInteger(numClasses) || numClasses < 1) {
      throw new RangeError(`Dataset: numClasses must be a positive integer, got ${numClasses}`);
    }
    if (maxLabel >= numClasses) {
      const i = labels.indexOf(maxLabel);
      throw new RangeError(`Dataset: labels[${i}] is ${maxLabel}, expected a class index in [0, ${numClasses})`);
    }
    this.images = images;
    this.labels = labels;
    this.sampleShape = Object.freeze([c, h, w] as const);
    this.numClasses = numClasses;
  }

  /**
   * Number of images.
   *
   * @example
   * ```ts
   * new Dataset(new Uint8Array(0), new Int32Array(0), [1, 28, 28], { numClasses: 10 }).length; // 0
   * ```
   */
  get length(): number {
    return this.labels.length;
  }

  /**
   * Number of elements of one image, C·H·W.
   *
   * @example
   * ```ts
   * const ds = new Dataset(new Uint8Array(784), new Int32Array([1]), [1, 28, 28]);
   * ds.sampleSize; // 784
   * ```
   */
  get sampleSize(): number {
    const [c, h, w] = this.sampleShape;
    return c * h * w;
  }

  /**
   * A new dataset holding copies of the images at `indices`, in that order (repeats allowed).
   *
   * @throws RangeError `subset: indices[2] is 10, expected an index in [0, 10)`.
   *
   * @example
   * ```ts
   * const ds = new Dataset(new Uint8Array([1, 2, 3]), new Int32Array([0, 1, 2]), [1, 1, 1]);
   * Array.from(ds.subset([2, 0]).images); // [3, 1]
   * ```
   */
  subset(indices: ArrayLike<number>): Dataset {
    const per = this.sampleSize;
    const images = this.images instanceof Uint8Array ? new Uint8Array(indices.length * per) : new Float32Array(indices.length * per);
    const labels = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!Number.isInteger(i) || i < 0 || i >= this.length) {
        throw new RangeError(`subset: indices[${k}] is ${i}, expected an index in [0, ${this.length})`);
      }
      images.set(this.images.subarray(i * per, (i + 1) * per), k * per);
      labels[k] = this.labels[i];
    }
    return new Dataset(images, labels, this.sampleShape, { numClasses: this.numClasses });
  }

  /**
   * Number of images of each class (index = class).
   *
   * @example
   * ```ts
   * const ds = new Dataset(new Uint8Array(3), new Int32Array([0, 2, 2]), [1, 1, 1]);
   * Array.from(ds.classCounts()); // [1, 0, 2]
   * ```
   */
  classCounts(): Int32Array {
    const counts = new Int32Array(this.numClasses);
    for (let i = 0; i < this.labels.length; i++) counts[this.labels[i]]++;
    return counts;
  }
}

function className(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  return (v as { constructor?: { name?: string } }).constructor?.name ?? typeof v;
}
