/** The built site's main bundle: TensorFlow.js is never in it, only in a chunk loaded on demand. */
import { expect, test } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

test("the entry chunk and what it imports statically hold no TensorFlow.js", () => {
  const html = readFileSync(`${dist}index.html`, "utf8");
  const entry = /<script type="module" crossorigin src="\.\/assets\/([^"]+\.js)">/.exec(html)?.[1];
  expect(entry, "dist/index.html names its entry chunk").toBeTruthy();
  // the entry plus every chunk reached from it by static imports (modulepreload or import … from)
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const code = readFileSync(`${dist}assets/${name}`, "utf8");
    for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) visit(m[1]);
  };
  visit(entry!);
  // markers: an error message of tfjs-core's flag registry, and the wasm backend's file names
  const TFJS = ["Cannot evaluate flag", "tfjs-backend-wasm"];
  for (const name of seen) {
    const code = readFileSync(`${dist}assets/${name}`, "utf8");
    for (const marker of TFJS) expect(code.includes(marker), `${name} contains "${marker}"`).toBe(false);
  }
  // …and TensorFlow.js is in the build, in chunks outside the entry's graph, its wasm files beside them
  const assets = readdirSync(`${dist}assets`);
  expect(assets.some((f) => /^tfjs-backend-wasm-simd-.*\.wasm$/.test(f))).toBe(true);
  const lazy = assets.filter((f) => f.endsWith(".js") && !seen.has(f)).map((f) => readFileSync(`${dist}assets/${f}`, "utf8"));
  for (const marker of TFJS) expect(lazy.some((code) => code.includes(marker)), `a lazy chunk contains "${marker}"`).toBe(true);
});

test("the build holds the typedoc API site under api/, linked from the navigation", () => {
  const api = readFileSync(`${dist}api/index.html`, "utf8");
  expect(api).toContain("Tessera");
  expect(readdirSync(`${dist}api`).length).toBeGreaterThan(3);
  expect(readFileSync(`${dist}index.html`, "utf8")).toContain('href="api/index.html"');
});
