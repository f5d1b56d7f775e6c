import { describe, expect, it } from "vitest";
import { bundleForBrowser, publicEntries } from "./bundle.mjs";

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
