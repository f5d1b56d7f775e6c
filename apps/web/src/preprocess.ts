/**
 * MNIST's preprocessing for a drawn digit (LeCun et al.): the ink's bounding box is scaled so its
 * longer side is 20 pixels, keeping the aspect ratio, with area averaging (anti-aliased grey
 * levels, as in the original), and placed in a 28×28 field so that its centre of mass sits at
 * the field's centre.
 */

/** Side of the field and of the box the digit is fitted into. */
export const FIELD = 28;
export const BOX = 20;

/**
 * Preprocesses a `width`×`height` ink image (row-major, 0 = paper, 1 = ink) into a 28×28 MNIST
 * digit in [0, 1]; null when there is no ink (every value ≤ `threshold`).
 */
export function preprocessDigit(ink: Float32Array, width: number, height: number, threshold = 0.05): Float32Array | null {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`preprocessDigit: width and height must be positive integers, got ${width}×${height}`);
  }
  if (ink.length !== width * height) throw new RangeError(`preprocessDigit: ink must hold width·height = ${width * height} values, got ${ink.length}`);
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const scale = BOX / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale)), th = Math.max(1, Math.round(bh * scale));
  const box = resampleArea(ink, width, x0, y0, bw, bh, tw, th);
  // centre of mass in box coordinates (pixel centres at i + 0.5)
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = box[y * tw + x];
      mass += v;
      mx += (x + 0.5) * v;
      my += (y + 0.5) * v;
    }
  }
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  const ox = clamp(Math.round(FIELD / 2 - mx / mass), FIELD - tw);
  const oy = clamp(Math.round(FIELD / 2 - my / mass), FIELD - th);
  const out = new Float32Array(FIELD * FIELD);
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) out[(y + oy) * FIELD + x + ox] = Math.min(1, box[y * tw + x]);
  return out;
}

/**
 * Area-averaging resample of the `bw`×`bh` window at (`x0`, `y0`) of a `stride`-wide image into
 * `tw`×`th`: each target pixel is the mean of the source area it covers (fractional edges weighted).
 */
export function resampleArea(src: Float32Array, stride: number, x0: number, y0: number, bw: number, bh: number, tw: number, th: number): Float32Array {
  const out = new Float32Array(tw * th);
  const sx = bw / tw, sy = bh / th;
  for (let ty = 0; ty < th; ty++) {
    const ya = ty * sy, yb = ya + sy;
    for (let tx = 0; tx < tw; tx++) {
      const xa = tx * sx, xb = xa + sx;
      let acc = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          acc += wx * wy * src[(y0 + y) * stride + x0 + x];
        }
      }
      out[ty * tw + tx] = acc / (sx * sy);
    }
  }
  return out;
}
