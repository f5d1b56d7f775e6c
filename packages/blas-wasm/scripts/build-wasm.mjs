#!/usr/bin/env node
/**
 * Builds the four variants of the wasm module with asc (AssemblyScript) and writes each as a separate
 * asset, `src/generated/blas-<variant>.wasm` (where the tests, which run the sources, find it) and
 * `dist/generated/blas-<variant>.wasm` (published; src/variants.ts names each with
 * `new URL("./generated/blas-<variant>.wasm", import.meta.url)`, the pattern Vite and webpack 5 copy
 * as an asset, so a page fetches only the variant it runs). Before compiling, it writes the
 * op codes and record layouts of scripts/layout.mjs as `src/layout.generated.ts` and
 * `assembly/layout.generated.ts` (committed; src/layout.test.ts checks they match the table).
 *   simd        --enable simd                      plain mul+add, unshared memory
 *   relaxed     --enable simd,relaxed-simd         f32x4.relaxed_madd, unshared memory
 *   simd-mt     --enable simd,threads              shared memory, atomics (worker pool)
 *   relaxed-mt  --enable simd,relaxed-simd,threads
 * Its outputs (build/*.wasm, src/generated/*, dist/generated/*) are git-ignored and declared as turbo
 * outputs. Base64 copies in generated TS modules (`<variant>.wasm.ts`, the embedding used before) are
 * removed from src/generated/ and dist/generated/ when found, so no stale copy is published.
 */
import asc from "assemblyscript/asc";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { layoutAs, layoutTs } from "./layout.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const VARIANTS = [
  { name: "simd", features: "simd", shared: false },
  { name: "relaxed", features: "simd,relaxed-simd", shared: false },
  { name: "simd-mt", features: "simd,threads", shared: true },
  { name: "relaxed-mt", features: "simd,relaxed-simd,threads", shared: true },
];
/** 65536 pages = 4 GiB, the wasm32 limit; the JS side creates the memory with its own maximum ≤ this. */
const MAX_PAGES = 65536;

function writeAtomic(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

// The op codes and record layouts of scripts/layout.mjs, for both sides (rewritten only on change).
for (const [path, text] of [[join(root, "src", "layout.generated.ts"), layoutTs()], [join(root, "assembly", "layout.generated.ts"), layoutAs()]]) {
  let old;
  try {
    old = readFileSync(path, "utf8");
  } catch {
    old = undefined;
  }
  if (old !== text) writeAtomic(path, text);
}

const ASSET_DIRS = [join(root, "src", "generated"), join(root, "dist", "generated")];
mkdirSync(join(root, "build"), { recursive: true });
for (const dir of ASSET_DIRS) {
  mkdirSync(dir, { recursive: true });
  // The former base64 embedding (<variant>.wasm.ts and what tsc made of it): never published again.
  for (const f of readdirSync(dir)) if (/\.wasm\.(ts|js|d\.ts)(\.map)?$/.test(f)) rmSync(join(dir, f), { force: true });
}
for (const v of VARIANTS) {
  const out = join(root, "build", `${v.name}.wasm`);
  const args = [
    join(root, "assembly", "index.ts"), "--enable", v.features, "--runtime", "stub", "-O3", "--noAssert",
    "--use", "abort=", "--importMemory", "--noExportMemory", "--initialMemory", "1", "--maximumMemory", String(MAX_PAGES),
    ...(v.shared ? ["--sharedMemory"] : []), "-o", out,
  ];
  const { error, stderr } = await asc.main(args);
  if (error) {
    console.error(stderr.toString());
    throw new Error(`build-wasm: asc failed for variant '${v.name}': ${error.message}`);
  }
  const bytes = readFileSync(out);
  for (const dir of ASSET_DIRS) writeAtomic(join(dir, `blas-${v.name}.wasm`), bytes);
  console.log(`build-wasm: ${v.name}.wasm ${bytes.length} bytes`);
}
