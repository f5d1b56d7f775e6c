import { describe, expect, it } from "vitest";
import { run } from "./run.js";

describe("tessera CLI", () => {
  it("demo prints the course's valid convolution and sgemm rates", async () => {
    const lines: string[] = [];
    expect(await run(["demo"], (l) => lines.push(l), () => {})).toBe(0);
    const text = lines.join("\n");
    expect(text).toContain("  51   66   20");
    expect(text).toContain("  15   53   -2");
    expect(text).toMatch(/n=  64  blocked/);
  });
  it("demo --device wasm runs the example and the timing on the wasm device", async () => {
    const lines: string[] = [];
    expect(await run(["demo", "--device", "wasm", "--threads", "1"], (l) => lines.push(l), () => {})).toBe(0);
    const text = lines.join("\n");
    expect(lines[0]).toBe("Tessera BLAS demo (wasm device)");
    expect(text).toContain("  51   66   20");
    expect(text).toContain("  15   53   -2");
    expect(text).toMatch(/n= {2}64 {2}wasm +[\d.]+ {2}reference/);
  });
  it("unknown commands fail with usage", async () => {
    const errs: string[] = [];
    expect(await run(["dance"], () => {}, (l) => errs.push(l))).toBe(2);
    expect(errs[0]).toContain("tessera: unknown command 'dance'");
  });
});
