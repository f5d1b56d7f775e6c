import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { createHash } from "node:crypto";
import { ROOT, publicEntries } from "./bundle.mjs";
import { buildWithVite, buildWithWebpack, outputProblems, prepareProject, runInChromium } from "./bundle-tools.mjs";

const specifiers = publicEntries().filter((e) => !e.nodeOnly).map((e) => e.specifier);
const VARIANTS = ["simd", "relaxed", "simd-mt", "relaxed-mt"];
const sha = (b) => createHash("sha256").update(b).digest("hex");
/** The package's own .wasm files, by content: each bundler must emit exactly these, as files. */
const packageWasm = VARIANTS.map((v) => sha(readFileSync(join(ROOT, "packages", "blas-wasm", "dist", "generated", `blas-${v}.wasm`)))).sort();

// Temp folders are made in beforeAll, so a filtered run that skips a group leaves none behind.
let project;
beforeAll(() => {
  project = prepareProject(specifiers);
});
afterAll(() => project?.cleanup());

describe("every public entry builds for the browser with Vite and webpack 5 (one production build each)", () => {
  it("covers every browser entry the esbuild check walks", () => {
    expect(Object.keys(project.inputs)).toHaveLength(specifiers.length);
    expect(specifiers).toEqual(expect.arrayContaining(["@tessera/blas", "@tessera/blas-wasm", "@tessera/nn", "@tessera/models", "@tessera/data", "@tessera/onnx"]));
    expect(specifiers).not.toContain("@tessera/nn/node");
  });

  for (const [tool, build] of [["Vite", buildWithVite], ["webpack 5", buildWithWebpack]]) {
    it(`${tool}: no error or warning, no node built-in, and the wasm device's modules as separate .wasm files`, async () => {
      const { problems, wasm } = await build(project.inputs, project.dir);
      expect(problems).toEqual([]);
      expect(wasm.map((f) => sha(readFileSync(f.path))).sort()).toEqual(packageWasm);
    });
  }
});

describe("the bundled wasm device runs in Chromium from each tool's output, fetching one .wasm", () => {
  let app;
  beforeAll(() => {
    app = prepareProject([]);
    writeFileSync(join(app.dir, "app.js"), APP);
  });
  afterAll(() => app?.cleanup());
  const APP = `import { wasmDevice, sgemm } from "@tessera/blas-wasm";
(async () => {
  try {
    const dev = await wasmDevice({ threads: 1, simd: "plain" });
    const c = new Float32Array(4);
    sgemm("row-major", "no-transpose", "no-transpose", 2, 2, 2, 1, new Float32Array([1, 2, 3, 4]), 2, new Float32Array([5, 6, 7, 8]), 2, 0, c, 2);
    document.title = "done: " + dev.name + " " + c.join(",");
  } catch (e) {
    document.title = "done: failed: " + e.message;
  }
})();
`;

  for (const [tool, build, module] of [["Vite", buildWithVite, true], ["webpack 5", buildWithWebpack, false]]) {
    it(`${tool}: sgemm gives the product, and the page fetched blas-simd.wasm alone`, async () => {
      const { problems, files, wasm } = await build({ app: join(app.dir, "app.js") }, app.dir);
      expect(problems).toEqual([]);
      const simd = wasm.find((f) => sha(readFileSync(f.path)) === sha(readFileSync(join(ROOT, "packages", "blas-wasm", "dist", "generated", "blas-simd.wasm"))));
      const script = files.find((f) => f.name.endsWith(".js")).name;
      const outDir = dirname(simd.path).replace(/\/assets$/, "");
      const { title, requested, errors } = await runInChromium(outDir, script, module);
      expect(errors).toEqual([]);
      expect(title).toBe("done: wasm 19,22,43,50");
      expect(requested.filter((r) => r.endsWith(".wasm"))).toEqual([`/${relative(outDir, simd.path)}`]);
    });
  }
});

describe("the checks are real", () => {
  let bad;
  beforeAll(() => {
    bad = prepareProject([]);
    writeFileSync(join(bad.dir, "fs.js"), 'import { readFile } from "node:fs/promises";\nglobalThis.__x = readFile;\n');
  });
  afterAll(() => bad?.cleanup());

  it("Vite: a node built-in is reported (and there is no .wasm asset)", async () => {
    const { problems } = await buildWithVite({ fs: join(bad.dir, "fs.js") }, bad.dir);
    expect(problems.some((p) => /node:fs\/promises|browser-external|externalized/.test(p))).toBe(true);
    expect(problems).toContain("no .wasm asset file in the output (the wasm device's modules must be separate files)");
  });

  it("webpack 5: a node built-in is an error", async () => {
    const { problems } = await buildWithWebpack({ fs: join(bad.dir, "fs.js") }, bad.dir);
    expect(problems.some((p) => /^webpack error: .*node:fs\/promises/.test(p))).toBe(true);
  });

  it("a wasm module inlined in the JS (base64 or a data: URL) and a quoted node: specifier are reported", () => {
    const out = join(bad.dir, "out");
    mkdirSync(out, { recursive: true });
    const b64 = readFileSync(join(ROOT, "packages", "blas-wasm", "dist", "generated", "blas-simd.wasm")).toString("base64");
    writeFileSync(join(out, "a.js"), `export const w = "${b64}";`);
    writeFileSync(join(out, "b.js"), `export const w = "data:application/wasm;base64,xyz", m = import("node:zlib");`);
    writeFileSync(join(out, "c.wasm"), "");
    expect(outputProblems(out).problems).toEqual([
      "a wasm module inlined in a.js (AGFzbQ) instead of a separate .wasm asset",
      'node built-in in b.js: "node:zlib"',
      "a wasm module inlined in b.js (data:application/wasm) instead of a separate .wasm asset",
    ]);
  });
});
