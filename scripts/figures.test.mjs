import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { curvesFigure, FIGURES, gemmFigure } from "./figures.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const committed = (file) => readFileSync(join(root, "docs", "figures", file), "utf8");

describe("guide figures", () => {
  it("the committed im2col and GFLOP/s figures are what scripts/figures.mjs draws today", async () => {
    expect(await FIGURES.im2col.make()).toBe(committed(FIGURES.im2col.file));
    expect(await FIGURES.gemm.make()).toBe(committed(FIGURES.gemm.file));
  });

  it("the im2col figure holds the device's matrix and the course's output", async () => {
    const svg = await FIGURES.im2col.make();
    expect(svg).toContain("[51, 66, 20, 31, 49, 101, 15, 53, -2]");
  });

  it("draws one bar per measured row and the SIMD peaks of the run", () => {
    const run = {
      title: "t", unit: "GFLOP/s", machine: "m", date: "2026-01-01T00:00:00Z",
      notes: ["WebAssembly SIMD peak of one core in this run (bench wasm-peak): f32x4.mul + f32x4.add 50.5, f32x4.relaxed_madd 60.25 GFLOP/s."],
      rows: [{ case: "a", system: "x", value: 10 }, { case: "a", system: "y", value: 20 }, { case: "b", system: "x", value: 5 }],
    };
    const svg = gemmFigure(run);
    expect(svg.match(/<rect x="300"/g)).toHaveLength(3);
    expect(svg).toContain("relaxed madd: 60.25");
    expect(svg).toContain("mul + add: 50.5");
  });

  it("plots every batch loss and every epoch's accuracy", () => {
    const svg = curvesFigure({ batchLosses: [2.3, 1.5, 1.0, 0.6], epochAccuracy: [0.7, 0.85], batchesPerEpoch: 2, title: "t" });
    const [loss, acc] = [...svg.matchAll(/points="([^"]*)"/g)].map((m) => m[1].split(" "));
    expect(loss).toHaveLength(4);
    expect(acc).toHaveLength(2);
    expect(svg).toContain("85.0 %");
  });
});
