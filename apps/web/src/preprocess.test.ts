import { loadBundledMnist } from "@tessera/data";
import { describe, expect, it } from "vitest";
import { BOX, FIELD, preprocessDigit, resampleArea } from "./preprocess.js";

/** Bounding box [x0, y0, x1, y1] (inclusive) of values > t in a 28×28 field. */
function bbox(v: Float32Array, t = 0): number[] {
  let x0 = 99, y0 = 99, x1 = -1, y1 = -1;
  for (let y = 0; y < FIELD; y++) for (let x = 0; x < FIELD; x++) if (v[y * FIELD + x] > t) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  return [x0, y0, x1, y1];
}

function centreOfMass(v: Float32Array): [number, number] {
  let m = 0, mx = 0, my = 0;
  for (let y = 0; y < FIELD; y++) for (let x = 0; x < FIELD; x++) {
    const w = v[y * FIELD + x];
    m += w;
    mx += (x + 0.5) * w;
    my += (y + 0.5) * w;
  }
  return [mx / m, my / m];
}

/** A `w`×`h` canvas with the rectangle [x0, x0+rw) × [y0, y0+rh) inked. */
function rect(w: number, h: number, x0: number, y0: number, rw: number, rh: number): Float32Array {
  const a = new Float32Array(w * h);
  for (let y = y0; y < y0 + rh; y++) for (let x = x0; x < x0 + rw; x++) a[y * w + x] = 1;
  return a;
}

describe("preprocessDigit (MNIST's 20×20 box, centre of mass at the centre of 28×28)", () => {
  it("fits the longer side to 20 pixels keeping the aspect ratio, wherever the ink is", () => {
    // a 40×160 bar in the corner of a 280×280 canvas: 5×20 after scaling by 1/8
    const d = preprocessDigit(rect(280, 280, 3, 100, 40, 160), 280, 280)!;
    const [x0, y0, x1, y1] = bbox(d);
    expect([x1 - x0 + 1, y1 - y0 + 1]).toEqual([5, BOX]);
    const [cx, cy] = centreOfMass(d);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    // every covered pixel is fully inked: the area average of solid ink is 1
    expect(Math.max(...d)).toBeCloseTo(1, 6);
  });

  it("moves the centre of mass, not the box centre, to (14, 14)", () => {
    // an L: heavy bottom bar; the box is centred lower than the mass
    const ink = rect(100, 100, 10, 10, 10, 80);
    for (let y = 80; y < 90; y++) for (let x = 10; x < 90; x++) ink[y * 100 + x] = 1;
    const d = preprocessDigit(ink, 100, 100)!;
    const [cx, cy] = centreOfMass(d);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    const [x0, y0] = bbox(d);
    expect([x0, y0]).not.toEqual([4, 4]); // not merely the box centred
  });

  it("gives back an MNIST digit drawn 10× larger: same box, centre of mass within half a pixel", async () => {
    const { test } = await loadBundledMnist();
    for (let i = 0; i < 20; i++) {
      const digit = Float32Array.from(test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255);
      const big = new Float32Array(280 * 280);
      for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) big[y * 280 + x] = digit[Math.floor(y / 10) * 28 + Math.floor(x / 10)];
      const d = preprocessDigit(big, 280, 280)!;
      const [bx0, by0, bx1, by1] = bbox(d, 0.05);
      expect(Math.max(bx1 - bx0 + 1, by1 - by0 + 1)).toBe(BOX);
      const [cx, cy] = centreOfMass(d);
      expect(Math.hypot(cx - 14, cy - 14)).toBeLessThan(0.75);
    }
  });

  it("returns null for an empty canvas and rejects a wrong size with a clear error", () => {
    expect(preprocessDigit(new Float32Array(100), 10, 10)).toBeNull();
    expect(() => preprocessDigit(new Float32Array(99), 10, 10)).toThrow("preprocessDigit: ink must hold width·height = 100 values, got 99");
    expect(() => preprocessDigit(new Float32Array(0), 0, 10)).toThrow("preprocessDigit: width and height must be positive integers, got 0×10");
  });
});

describe("resampleArea", () => {
  it("averages the covered area, fractional edges weighted", () => {
    // 3 pixels [0, 1, 1] into 2: the first covers 1.5 pixels (0 and half a 1) → 1/3; the second → 1
    const out = resampleArea(new Float32Array([0, 1, 1]), 3, 0, 0, 3, 1, 2, 1);
    expect(out[0]).toBeCloseTo(1 / 3, 6);
    expect(out[1]).toBeCloseTo(1, 6);
  });
});
