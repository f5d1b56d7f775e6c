import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bundleForBrowser, publicEntries, ROOT } from "./bundle.mjs";
import { ASSETS, BUDGET_FILE, CASES, measure, overBudget, table } from "./sizes.mjs";

const entries = publicEntries();

describe("every public entry bundles for the browser (esbuild, platform browser)", () => {
  it("finds the packages and their subpaths", () => {
    const names = entries.map((e) => e.specifier);
    expect(names).toEqual(expect.arrayContaining(["@tessera/blas", "@tessera/blas/testing", "@tessera/nn", "@tessera/models", "@tessera/data"]));
    expect(entries.filter((e) => e.nodeOnly).map((e) => e.specifier)).toEqual(["@tessera/nn/node"]);
  });

  for (const { specifier, dir, nodeOnly } of entries) {
    it.skipIf(nodeOnly)(`${specifier}: no error, no node built-in, no opaque import`, async () => {
      const { problems } = await bundleForBrowser(`export * from "${specifier}";\n`, dir);
      expect(problems).toEqual([]);
    });
  }

  it("the checks catch a node built-in, a hidden one and an opaque import", async () => {
    const dir = entries[0].dir;
    expect((await bundleForBrowser('import { readFile } from "node:fs/promises";\nexport { readFile };\n', dir)).problems[0]).toMatch(/node:fs\/promises/);
    const hidden = await bundleForBrowser('export const load = (m = "node:zlib") => import(m);\n', dir);
    expect(hidden.problems).toEqual([expect.stringMatching(/node built-in in the output: "node:zlib"/), expect.stringMatching(/dynamic import a bundler cannot follow/)]);
  });
});

describe("bundle sizes stay within scripts/size-budget.json (pnpm run sizes)", () => {
  const budget = JSON.parse(readFileSync(BUDGET_FILE, "utf8"));

  it("every Tessera case and .wasm asset has a budget and stays within it, minified (raw) and gzipped", async () => {
    const rows = await measure(CASES.filter((c) => !c.peer), ASSETS.filter((a) => !a.peer));
    expect(Object.keys(budget).sort()).toEqual(rows.map((r) => r.name).sort());
    expect(overBudget(rows, budget)).toEqual([]);
  });

  it("the wasm device's JS holds no wasm module: its four builds are .wasm assets, one fetched per page", async () => {
    const rows = await measure(CASES.filter((c) => c.name.startsWith("`wasmDevice`")), ASSETS.filter((a) => !a.peer));
    const [device, ...assets] = rows;
    expect(device.fetches).toBe("tessera");
    expect(assets.map((a) => a.name)).toEqual(["simd", "relaxed", "simd-mt", "relaxed-mt"].map((v) => `\`blas-${v}.wasm\` (@tessera/blas-wasm)`));
    // Each build is over 30 kB raw; four base64 copies in the JS would be over 160 kB.
    for (const a of assets) expect(a.minified).toBeGreaterThan(30_000);
    expect(device.minified).toBeLessThan(assets[0].minified * 2);
  });

  it("esbuild keeps each asset's new URL(…, import.meta.url) as written: the README tells esbuild users to copy the files to generated/", async () => {
    const { code, problems } = await bundleForBrowser('export { wasmDevice } from "@tessera/blas-wasm";\n', join(ROOT, "packages", "blas-wasm"));
    expect(problems).toEqual([]);
    const urls = [...code.matchAll(/new URL\(\s*["'`]([^"'`]+)["'`]\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[1]);
    expect(urls.sort()).toEqual(["./generated/blas-relaxed-mt.wasm", "./generated/blas-relaxed.wasm", "./generated/blas-simd-mt.wasm", "./generated/blas-simd.wasm"]);
  });

  it("a case that grew past its budget, or has none, is reported", () => {
    const rows = [{ name: "a", minified: 1100, gzipped: 400 }, { name: "b", minified: 10, gzipped: 5 }, { name: "t", peer: true, minified: 1e9, gzipped: 1e9 }];
    expect(overBudget(rows, { a: { minified: 1000, gzipped: 500 } })).toEqual([
      "a: minified 1100 bytes, over its budget of 1000",
      "b: no budget in scripts/size-budget.json (run pnpm run sizes --update-budget)",
    ]);
    expect(table(rows, { a: { minified: 1000, gzipped: 500 } }).split("\n")[2]).toBe("| a | 1.1 kB | 0.4 kB | 0.5 kB | — |");
  });

  it("a case that fetches a .wasm shows the largest of its group; the assets get their own table", () => {
    const rows = [
      { name: "dev", minified: 5000, gzipped: 2000, fetches: "g" },
      { name: "w1", asset: true, group: "g", minified: 3000, gzipped: 1200 },
      { name: "w2", asset: true, group: "g", minified: 3100, gzipped: 1300 },
    ];
    const budget = { dev: { minified: 6000, gzipped: 2500 }, w1: { minified: 4000, gzipped: 1400 }, w2: { minified: 4000, gzipped: 1000 } };
    expect(table(rows, budget).split("\n").slice(2)).toEqual([
      "| dev | 5.0 kB | 2.0 kB | 2.5 kB | 1.3 kB (1 of 2) |",
      "",
      "| `.wasm` asset (fetched at run time, one per page) | raw | gzipped | budget (gzipped) |",
      "|---|---:|---:|---:|",
      "| w1 | 3.0 kB | 1.2 kB | 1.4 kB |",
      "| w2 | 3.1 kB | 1.3 kB | 1.0 kB |",
    ]);
    expect(overBudget(rows, budget)).toEqual(["w2: gzipped 1300 bytes, over its budget of 1000"]);
  });
});
