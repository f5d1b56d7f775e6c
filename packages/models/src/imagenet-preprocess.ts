/**
 * torchvision's ImageNet evaluation transform — `Resize(256)` (bilinear, with antialiasing, on a
 * PIL image), `CenterCrop(224)`, `ToTensor()`, `Normalize(mean, std)` — on raw RGB or RGBA pixels,
 * so it works on a browser's `ImageData` and on PNG/JPEG pixels decoded in Node. The resize follows
 * Pillow's bilinear resampling step by step (fixed-point coefficients, horizontal pass then vertical,
 * each rounded to 8 bits), so the tensor should equal torchvision's for the same decoded pixels.
 */

/**
 * Pixels in rows, top to bottom, 3 (RGB) or 4 (RGBA) bytes per pixel — a browser's `ImageData`
 * is one (for an `ImageBitmap`, draw it on a canvas and call `getImageData`).
 *
 * @example
 * ```ts
 * import type { RgbImage } from "@tessera/models";
 * const img: RgbImage = { width: 1, height: 1, data: new Uint8Array([255, 0, 0]) }; // one red pixel
 * ```
 */
export interface RgbImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** width × height × 3 (RGB) or × 4 (RGBA; the alpha channel is dropped, as PIL's `convert("RGB")`). */
  readonly data: Uint8Array | Uint8ClampedArray;
}

/**
 * Options of {@link preprocessImageNet} (torchvision's values by default).
 *
 * @example
 * ```ts
 * import type { ImageNetPreprocessOptions } from "@tessera/models";
 * const inception: ImageNetPreprocessOptions = { resize: 342, crop: 299 }; // torchvision's Inception v3 transform
 * ```
 */
export interface ImageNetPreprocessOptions {
  /** Length of the shorter side after resizing (default 256). */
  readonly resize?: number;
  /** Side of the centred square crop (default 224; at most `resize`). */
  readonly crop?: number;
  /** Per-channel mean subtracted after scaling to [0, 1] (default [0.485, 0.456, 0.406]). */
  readonly mean?: readonly [number, number, number];
  /** Per-channel standard deviation divided by (default [0.229, 0.224, 0.225]). */
  readonly std?: readonly [number, number, number];
}

/**
 * A preprocessed image: CHW float32 values and the NCHW shape of a batch of one, ready for
 * `tensor(data, { shape })`.
 *
 * @example
 * ```ts
 * import { preprocessImageNet, type PreprocessedImage } from "@tessera/models";
 * const p: PreprocessedImage = preprocessImageNet({ width: 256, height: 256, data: new Uint8Array(256 * 256 * 3) });
 * p.shape; // [1, 3, 224, 224]
 * ```
 */
export interface PreprocessedImage {
  /** 3 × crop × crop values, channel by channel. */
  readonly data: Float32Array;
  /** [1, 3, crop, crop]. */
  readonly shape: [1, 3, number, number];
}

const KEYS = ["resize", "crop", "mean", "std"];
/** Pillow's fixed-point precision for 8-bit resampling. */
const PRECISION_BITS = 22;
const ONE = 2 ** PRECISION_BITS;

function fail(message: string): never {
  throw new RangeError(`preprocessImageNet: ${message}`);
}

/** Python's round() of a multiple of 0.5: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  return x - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(x);
}

/** Pillow's `precompute_coeffs` for the bilinear (triangle) filter, then its 8-bit fixed-point normalisation. */
function coefficients(inSize: number, outSize: number): { bounds: Int32Array; kk: Float64Array; ksize: number } {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = 1 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const kk = new Float64Array(outSize * ksize);
  const w = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterscale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const t = Math.abs((x + xmin - center + 0.5) * ss);
      w[x] = t < 1 ? 1 - t : 0;
      ww += w[x];
    }
    for (let x = 0; x < xmax; x++) kk[xx * ksize + x] = Math.trunc(0.5 + (ww !== 0 ? w[x] / ww : w[x]) * ONE);
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { bounds, kk, ksize };
}

const clip8 = (ss: number) => Math.min(255, Math.max(0, Math.floor(ss / ONE)));

/**
 * torchvision's ImageNet evaluation preprocessing of one RGB/RGBA image: the shorter side resized
 * to `resize` (256) with Pillow's bilinear filter (the longer side to ⌊256·long/short⌋), a centred
 * `crop` × `crop` (224) square, values scaled to [0, 1] and normalised with ImageNet's mean and
 * standard deviation — as `transforms.Compose([Resize(256), CenterCrop(224), ToTensor(),
 * Normalize(mean, std)])` on a PIL image. Returns CHW float32 values.
 *
 * @example
 * ```ts
 * import { preprocessImageNet, resnet18, IMAGENET_CLASSES } from "@tessera/models";
 * import { tensor, argmax } from "@tessera/autograd";
 * const image = { width: 320, height: 240, data: new Uint8ClampedArray(320 * 240 * 4) }; // e.g. canvas ImageData
 * const { data, shape } = preprocessImageNet(image);
 * const logits = resnet18().eval().forward(tensor(data, { shape }));
 * ```
 */
export function preprocessImageNet(image: RgbImage, o: ImageNetPreprocessOptions = {}): PreprocessedImage {
  if (o === null || typeof o !== "object") throw new TypeError(`preprocessImageNet: options must be an object, got ${o === null ? "null" : typeof o}`);
  for (const k of Object.keys(o)) if (!KEYS.includes(k)) throw new TypeError(`preprocessImageNet: unknown option '${k}' in options (known: ${KEYS.join(", ")})`);
  const { width: w, height: h, data } = image ?? ({} as RgbImage);
  for (const [k, v] of [["image.width", w], ["image.height", h]] as const) if (!Number.isInteger(v) || v <= 0) fail(`${k} must be a positive integer, got ${v}`);
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) fail(`image.data must be a Uint8Array or Uint8ClampedArray, got ${data === null ? "null" : typeof data === "object" ? (data as object).constructor.name : typeof data}`);
  const channels = data.length === w * h * 3 ? 3 : data.length === w * h * 4 ? 4 : fail(`image.data has ${data.length} bytes, expected ${w}×${h}×3 = ${w * h * 3} (RGB) or ×4 = ${w * h * 4} (RGBA)`);
  const resize = o.resize ?? 256, crop = o.crop ?? 224;
  if (!Number.isInteger(resize) || resize <= 0) fail(`resize must be a positive integer, got ${resize}`);
  if (!Number.isInteger(crop) || crop <= 0 || crop > resize) fail(`crop must be a positive integer <= resize (${resize}), got ${crop}`);
  const mean = o.mean ?? [0.485, 0.456, 0.406], std = o.std ?? [0.229, 0.224, 0.225];
  for (const [k, a] of [["mean", mean], ["std", std]] as const) {
    if (!Array.isArray(a) || a.length !== 3 || !a.every((x) => Number.isFinite(x)) || (k === "std" && !a.every((x) => x > 0))) fail(`${k} must be three finite numbers${k === "std" ? " > 0" : ""}, got ${JSON.stringify(a)}`);
  }
  // torchvision's Resize(int): the shorter side becomes `resize`, the longer int(resize · long / short)
  const [outW, outH] = w <= h ? [resize, Math.trunc((resize * h) / w)] : [Math.trunc((resize * w) / h), resize];
  const top = roundHalfEven((outH - crop) / 2), left = roundHalfEven((outW - crop) / 2);
  // Pillow resizes horizontally, then vertically, each pass only when that size changes.
  const hc = outW !== w ? coefficients(w, outW) : null;
  const vc = outH !== h ? coefficients(h, outH) : null;
  const rowLo = vc ? vc.bounds[top * 2] : top;
  const rowHi = vc ? Math.max(...Array.from({ length: crop }, (_, i) => vc.bounds[(top + i) * 2] + vc.bounds[(top + i) * 2 + 1])) : top + crop;
  // horizontal pass over the source rows the crop needs, the crop's columns only: [rows][crop][3]
  const mid = new Uint8Array((rowHi - rowLo) * crop * 3);
  for (let y = rowLo; y < rowHi; y++) {
    for (let j = 0; j < crop; j++) {
      const xx = left + j;
      const o3 = ((y - rowLo) * crop + j) * 3;
      if (!hc) {
        for (let c = 0; c < 3; c++) mid[o3 + c] = data[(y * w + xx) * channels + c];
        continue;
      }
      const xmin = hc.bounds[xx * 2], xmax = hc.bounds[xx * 2 + 1];
      for (let c = 0; c < 3; c++) {
        let ss = ONE / 2;
        for (let x = 0; x < xmax; x++) ss += data[(y * w + xmin + x) * channels + c] * hc.kk[xx * hc.ksize + x];
        mid[o3 + c] = clip8(ss);
      }
    }
  }
  // vertical pass for the crop's rows, then ToTensor (/255) and Normalize, in float32 as torch
  const out = new Float32Array(3 * crop * crop);
  const m32 = mean.map(Math.fround), s32 = std.map(Math.fround);
  for (let i = 0; i < crop; i++) {
    const yy = top + i;
    for (let j = 0; j < crop; j++) {
      for (let c = 0; c < 3; c++) {
        let v: number;
        if (!vc) v = mid[((yy - rowLo) * crop + j) * 3 + c];
        else {
          const ymin = vc.bounds[yy * 2], ymax = vc.bounds[yy * 2 + 1];
          let ss = ONE / 2;
          for (let y = 0; y < ymax; y++) ss += mid[((ymin + y - rowLo) * crop + j) * 3 + c] * vc.kk[yy * vc.ksize + y];
          v = clip8(ss);
        }
        out[(c * crop + i) * crop + j] = Math.fround(Math.fround(Math.fround(v / 255) - m32[c]) / s32[c]);
      }
    }
  }
  return { data: out, shape: [1, 3, crop, crop] };
}
