import { describe, expect, it } from "vitest";
import { MAX_ELEMENTS } from "@tessera/ndarray";
import { conv2dGeometry } from "./index.js";

const LIMIT = `more than the 2^32 = ${MAX_ELEMENTS} one buffer can hold`;

describe("conv2dGeometry: buffers too large are refused before anything is allocated", () => {
  it("names the output shape and the padding", () => {
    expect(() => conv2dGeometry([1, 1, 3, 3], [1, 1, 3, 3], { padding: 1e9 })).toThrow(
      `conv2d: the output [1,1,2000000001,2000000001] has 4000000004000000000 elements, ${LIMIT} (padding [top, bottom, left, right] = [1000000000,1000000000,1000000000,1000000000])`,
    );
    expect(() => conv2dGeometry([2, 1, 1, 1], [1, 1, 1, 1], { padding: [40000, 20000] })).toThrow(
      `conv2d: the output [2,1,80001,40001] has 6400240002 elements, ${LIMIT} (padding [top, bottom, left, right] = [40000,40000,20000,20000])`,
    );
  });

  it("names the column matrix when the output fits but im2col's columns do not", () => {
    // 1 output channel of 60000×60000 = 3.6e9 positions fits; 2·2·1 rows of them do not.
    expect(() => conv2dGeometry([1, 1, 1, 1], [1, 1, 2, 2], { padding: [30000, 30000] })).toThrow(
      `conv2d: the column matrix [C / groups · KH · KW, OH · OW] of one image [4,3600000000] has 14400000000 elements, ${LIMIT}`,
    );
  });

  it("accepts ordinary geometries", () => {
    expect(conv2dGeometry([64, 3, 224, 224], [64, 3, 7, 7], { stride: 2, padding: 3 }).outputShape).toEqual([64, 64, 112, 112]);
  });
});
