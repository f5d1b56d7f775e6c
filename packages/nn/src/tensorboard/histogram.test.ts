import { describe, expect, it } from "vitest";
import { Rng } from "@tessera/ndarray";
import { histogramOf } from "./histogram.js";

/** TensorFlow's default edges, built independently: 0, ±1e-12·1.1ᵏ below 1e20, ±DBL_MAX. */
function referenceEdges(): number[] {
  const pos: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
  return [-Number.MAX_VALUE, ...pos.map((v) => -v).reverse(), 0, ...pos, Number.MAX_VALUE];
}

describe("histogramOf", () => {
  it("counts each value in [previous edge, edge), with exact statistics, trimmed to the non-empty span", () => {
    const rng = new Rng(11);
    const values = new Float32Array(2000);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal(0, 1) * 10 ** rng.integers(-6, 4);
    values[0] = 0;
    values[1] = -0;
    values[2] = 1e-30;
    values[3] = -3e25;
    const edges = referenceEdges();
    const h = histogramOf(values);
    expect(h.num).toBe(2000);
    expect(h.min).toBe(Math.min(...values));
    expect(h.max).toBe(Math.max(...values));
    expect(h.sum).toBe(values.reduce((s, v) => s + v, 0));
    expect(h.sumSquares).toBe(values.reduce((s, v) => s + v * v, 0));
    expect(h.bucket.length).toBe(h.bucketLimit.length);
    expect(h.bucket[0]).toBeGreaterThan(0);
    expect(h.bucket[h.bucket.length - 1]).toBeGreaterThan(0);
    // Every limit is one of TensorFlow's edges, consecutive, and counts match a linear scan.
    const first = edges.indexOf(h.bucketLimit[0]);
    expect(first).toBeGreaterThan(0);
    expect(h.bucketLimit).toEqual(edges.slice(first, first + h.bucketLimit.length));
    const counts = h.bucketLimit.map((right, i) => values.filter((v) => v < right && v >= edges[first + i - 1]).length);
    expect(h.bucket).toEqual(counts);
    expect(h.bucket.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(h.bucketLimit).toContain(-1e-12); // −3e25 … 1e-30 spans zero
  });

  it("puts one repeated value in one bucket; refuses empty input and non-finite values", () => {
    expect(histogramOf([0.5, 0.5, 0.5])).toMatchObject({ num: 3, min: 0.5, max: 0.5, sum: 1.5, sumSquares: 0.75, bucket: [3] });
    const [limit] = histogramOf([0.5]).bucketLimit;
    const edges = referenceEdges();
    expect(edges[edges.indexOf(limit) - 1]).toBeLessThanOrEqual(0.5);
    expect(limit).toBeGreaterThan(0.5);
    expect(histogramOf([Number.MAX_VALUE]).bucketLimit).toEqual([Number.MAX_VALUE]);
    expect(() => histogramOf([])).toThrow(/histogramOf: values is empty/);
    expect(() => histogramOf([1, NaN])).toThrow(/histogramOf: values has a non-finite value NaN at index 1/);
    expect(() => histogramOf(new Float32Array([Infinity]), "weights/fc.weight")).toThrow(/weights\/fc.weight has a non-finite value Infinity at index 0/);
  });
});
