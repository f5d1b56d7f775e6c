import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BINARY_OPS, CJ, FJ, GEO, J, REDUCE_OPS, UNARY_OPS } from "./layout.generated.js";

interface LayoutModule {
  layoutTs(): string;
  layoutAs(): string;
}

/** The table's generator (a build script, loaded by path so the type checker does not follow it). */
async function generator(): Promise<LayoutModule> {
  const path = new URL("../scripts/layout.mjs", import.meta.url).href;
  return (await import(/* @vite-ignore */ path)) as LayoutModule;
}

describe("the one table of op codes and record layouts (scripts/layout.mjs)", () => {
  it("is what both generated files hold (nobody edited them by hand, the build ran)", async () => {
    const g = await generator();
    expect(readFileSync(new URL("./layout.generated.ts", import.meta.url), "utf8")).toBe(g.layoutTs());
    expect(readFileSync(new URL("../assembly/layout.generated.ts", import.meta.url), "utf8")).toBe(g.layoutAs());
  });

  it("gives the AssemblyScript constants the TypeScript indices", async () => {
    const as = (await generator()).layoutAs();
    const constant = (prefix: string, name: string) => `${prefix}_${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
    const expectSlot = (prefix: string, name: string, index: number) => expect(as).toContain(`export const ${constant(prefix, name)}: i32 = ${index};\n`);
    UNARY_OPS.forEach((op, i) => expectSlot("UNARY", op, i));
    BINARY_OPS.forEach((op, i) => expectSlot("BINARY", op, i));
    REDUCE_OPS.forEach((op, i) => expectSlot("REDUCE", op, i));
    for (const [prefix, record] of Object.entries({ GEO, J, CJ, FJ })) for (const [name, i] of Object.entries(record)) expectSlot(prefix, name, i);
    expect(as).toContain("export const UNARY_LEAKY_RELU: i32 = 15;\n");
    expect(as).toContain("export const GEO_DILATION_H: i32 = 11;\n");
  });
});
