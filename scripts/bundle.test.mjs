import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bundleForBrowser, publicEntries } from "./bundle.mjs";
import { BUDGET_FILE, CASES, measure, overBudget, table } from "./sizes.mjs";

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

  it("every Tessera case has a budget and stays within it, minified and gzipped", async () => {
    const rows = await measure(CASES.filter((c) => !c.peer));
    expect(Object.keys(budget).sort()).toEqual(rows.map((r) => r.name).sort());
    expect(overBudget(rows, budget)).toEqual([]);
  });

  it("a case that grew past its budget, or has none, is reported", () => {
    const rows = [{ name: "a", minified: 1100, gzipped: 400 }, { name: "b", minified: 10, gzipped: 5 }, { name: "t", peer: true, minified: 1e9, gzipped: 1e9 }];
    expect(overBudget(rows, { a: { minified: 1000, gzipped: 500 } })).toEqual([
      "a: minified 1100 bytes, over its budget of 1000",
      "b: no budget in scripts/size-budget.json (run pnpm run sizes --update-budget)",
    ]);
    expect(table(rows, { a: { minified: 1000, gzipped: 500 } }).split("\n")[2]).toBe("| a | 1.1 kB | 0.4 kB | 0.5 kB |");
  });
});
