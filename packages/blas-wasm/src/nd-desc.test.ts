import { describe, expect, it } from "vitest";
import { collapse } from "./nd-desc.js";

describe("collapse", () => {
  it("merges dimensions contiguous in every operand and drops extents of 1", () => {
    expect(collapse([2, 3, 4], [[12, 4, 1], [12, 4, 1]])).toEqual({ shape: [24], strides: [[1], [1]] });
    expect(collapse([2, 1, 3], [[3, 99, 1]])).toEqual({ shape: [6], strides: [[1]] });
  });
  it("keeps dimensions apart where one operand is not contiguous (padding, broadcast, transpose)", () => {
    expect(collapse([4, 6], [[0, 1], [6, 1]])).toEqual({ shape: [4, 6], strides: [[0, 1], [6, 1]] });
    expect(collapse([3, 4, 5], [[1, 3, 12], [24, 6, 1]])).toEqual({ shape: [3, 4, 5], strides: [[1, 3, 12], [24, 6, 1]] });
    expect(collapse([2, 3, 4], [[0, 0, 0], [12, 4, 1]])).toEqual({ shape: [24], strides: [[0], [1]] });
  });
  it("maps scalars to one element and empty views to an empty row", () => {
    expect(collapse([], [[], []])).toEqual({ shape: [1], strides: [[0], [0]] });
    expect(collapse([1, 1], [[5, 7]])).toEqual({ shape: [1], strides: [[0]] });
    expect(collapse([3, 0, 2], [[1, 1, 1]])).toEqual({ shape: [0], strides: [[0]] });
  });
});
