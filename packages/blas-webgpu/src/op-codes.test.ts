import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SHADERS } from "./generated/shaders.js";
import { BINARY_CODES, REDUCE_CODES, REDUCE_SUM_ABS, UNARY_CODES } from "./routines/op-codes.js";

const constName = (prefix: string, op: string) => `${prefix}_${op.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}`;

describe("one table of op codes for TypeScript and WGSL", () => {
  it("the WGSL constants carry the TypeScript codes", () => {
    const consts = new Map([...SHADERS["op-codes"].matchAll(/const (\w+): u32 = (\d+)u;/g)].map((m) => [m[1], Number(m[2])]));
    const all: [string, Readonly<Record<string, number>>][] = [["UNARY", UNARY_CODES], ["BINARY", BINARY_CODES], ["REDUCE", { ...REDUCE_CODES, sumAbs: REDUCE_SUM_ABS }]];
    let n = 0;
    for (const [prefix, codes] of all) {
      for (const [op, code] of Object.entries(codes)) {
        expect(consts.get(constName(prefix, op)), `${prefix} ${op}`).toBe(code);
        n++;
      }
    }
    expect(consts.size).toBe(n);
  });

  it("the op switches name generated constants, never numbers", () => {
    for (const name of ["unary-ops", "binary-ops", "reduce"] as const) {
      const src = readFileSync(new URL(`./shaders/${name}.wgsl`, import.meta.url), "utf8");
      expect(src, name).not.toMatch(/case \d+u/);
      expect(src, name).not.toMatch(/OP == \d/);
      const used = [...src.matchAll(/case (\w+):/g)].map((m) => m[1]);
      expect(used.length, name).toBeGreaterThan(0);
      for (const c of used) expect(SHADERS["op-codes"], `${name}: ${c}`).toContain(`const ${c}: u32`);
    }
  });
});
