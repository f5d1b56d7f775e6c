/**
 * Bundle sizes of typical imports, minified and gzipped, each bundled for the browser as
 * scripts/bundle.mjs does (esbuild, minify, tree shaking) and gzipped at level 9:
 *
 *   pnpm run sizes                  rewrites the table in README.md (between the sizes markers)
 *   pnpm run sizes --update-budget  also rewrites scripts/size-budget.json (today's sizes + 10 %)
 *
 * scripts/bundle.test.mjs fails when a case grows past its budget. TensorFlow.js's equivalent
 * (`matMul`, alone and with its wasm backend, from the copies bench/ installs) is measured the same
 * way and shown beside, without a budget.
 *
 * The `.wasm` files a bundle fetches at run time are not in its JS: each is a row of the second
 * table (raw and gzipped; Tessera's budgeted too), and a JS row whose bundle holds the loader of
 * one shows the largest of them in its last column.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { bundleForBrowser, publicEntries, ROOT } from "./bundle.mjs";

/** Everything a package's main entry exports (`export *`), for each package. */
const WHOLE_ENTRIES = publicEntries()
  .filter((e) => !e.specifier.slice("@tessera/".length).includes("/"))
  .map((e) => ({ name: `all of ${e.specifier}`, code: `export * from "${e.specifier}";` }));

/** The cases: a name, the module bundled, and whether it is Tessera's (budgeted) or a peer's. */
export const CASES = [
  { name: "`sgemm` from @tessera/blas", code: 'export { sgemm } from "@tessera/blas";' },
  { name: "`wasmDevice` from @tessera/blas-wasm", code: 'export { wasmDevice } from "@tessera/blas-wasm";' },
  { name: "`webgpuDevice` from @tessera/blas-webgpu", code: 'export { webgpuDevice } from "@tessera/blas-webgpu";' },
  { name: "`tensor`, `matmul`, `scope` from @tessera/autograd", code: 'export { tensor, matmul, scope } from "@tessera/autograd";' },
  { name: "`lenet5` + `Adam` + `crossEntropy` (@tessera/models, @tessera/optim)", code: 'export { lenet5 } from "@tessera/models";\nexport { Adam, crossEntropy } from "@tessera/optim";' },
  { name: "`loadBundledMnist` + `DataLoader` from @tessera/data", code: 'export { loadBundledMnist, DataLoader } from "@tessera/data";' },
  ...WHOLE_ENTRIES,
  { name: "TensorFlow.js: `matMul` from @tensorflow/tfjs-core", code: 'export { matMul } from "@tensorflow/tfjs-core";', peer: true },
  { name: "TensorFlow.js: `matMul` + @tensorflow/tfjs-backend-wasm", code: 'export { matMul, setBackend } from "@tensorflow/tfjs-core";\nimport "@tensorflow/tfjs-backend-wasm";', peer: true },
];

/** bench/ depends on every package and on TensorFlow.js: the cases resolve from there. */
const RESOLVE_DIR = join(ROOT, "bench");
const WASM_DIR = join(ROOT, "packages", "blas-wasm", "dist", "generated");
const TFJS_WASM_DIR = join(RESOLVE_DIR, "node_modules", "@tensorflow", "tfjs-backend-wasm", "dist");

/**
 * The `.wasm` assets fetched at run time, one row each: `loader` is the module whose presence in a
 * bundle (esbuild's metafile inputs) means the bundle fetches one of the `group`'s files.
 */
export const ASSETS = [
  ...["simd", "relaxed", "simd-mt", "relaxed-mt"].map((v) => ({ name: `\`blas-${v}.wasm\` (@tessera/blas-wasm)`, file: join(WASM_DIR, `blas-${v}.wasm`), group: "tessera", loader: /packages\/blas-wasm\/dist\/variants\.js$/ })),
  ...["tfjs-backend-wasm", "tfjs-backend-wasm-simd", "tfjs-backend-wasm-threaded-simd"].map((f) => ({ name: `TensorFlow.js: \`${f}.wasm\``, file: join(TFJS_WASM_DIR, `${f}.wasm`), group: "tfjs", loader: /@tensorflow\/tfjs-backend-wasm\//, peer: true })),
];
export const BUDGET_FILE = join(ROOT, "scripts", "size-budget.json");
const START = "<!-- sizes:start -->";
const END = "<!-- sizes:end -->";

/** Raw and gzipped (level 9) sizes of each asset: `{ name, peer, asset: true, group, minified, gzipped }`. */
export function measureAssets(assets = ASSETS) {
  return assets.map((a) => {
    let bytes;
    try {
      bytes = readFileSync(a.file);
    } catch (e) {
      throw new Error(`sizes: cannot read ${a.file} (${a.name}; build the packages and install bench/ first): ${e.message}`);
    }
    return { name: a.name, peer: a.peer === true, asset: true, group: a.group, minified: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
  });
}

/**
 * Measures every case and asset: `{ name, peer, minified, gzipped, fetches? }` (bytes; an asset's
 * `minified` is its raw size; `fetches` is the group of assets a case's bundle loads); throws on a
 * bundling problem.
 */
export async function measure(cases = CASES, assets = ASSETS) {
  const rows = [];
  for (const c of cases) {
    const r = await bundleForBrowser(c.code, RESOLVE_DIR);
    if (r.problems.length > 0 && !c.peer) throw new Error(`sizes: ${c.name} does not bundle cleanly:\n  ${r.problems.join("\n  ")}`);
    if (r.code === undefined) throw new Error(`sizes: ${c.name} does not bundle:\n  ${r.problems.join("\n  ")}`);
    const inputs = Object.keys(r.metafile.inputs);
    const fetches = assets.find((a) => inputs.some((i) => a.loader.test(i)))?.group;
    rows.push({ name: c.name, peer: c.peer === true, minified: r.minified, gzipped: r.gzipped, ...(fetches ? { fetches } : {}) });
  }
  return [...rows, ...measureAssets(assets)];
}

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;

/** The Markdown tables of `rows` against `budget`: the JS bundles, then the `.wasm` assets. */
export function table(rows, budget) {
  const budgetOf = (r) => (r.peer ? "—" : kb(budget[r.name]?.gzipped ?? NaN));
  const assets = rows.filter((r) => r.asset);
  const lines = ["| import (bundled for the browser) | minified | gzipped | budget (gzipped) | + `.wasm` it fetches (largest, gzipped) |", "|---|---:|---:|---:|---:|"];
  for (const r of rows.filter((x) => !x.asset)) {
    const group = assets.filter((a) => a.group === r.fetches);
    const wasm = group.length === 0 ? "—" : `${kb(Math.max(...group.map((a) => a.gzipped)))} (1 of ${group.length})`;
    lines.push(`| ${r.name} | ${kb(r.minified)} | ${kb(r.gzipped)} | ${budgetOf(r)} | ${wasm} |`);
  }
  if (assets.length > 0) {
    lines.push("", "| `.wasm` asset (fetched at run time, one per page) | raw | gzipped | budget (gzipped) |", "|---|---:|---:|---:|");
    for (const r of assets) lines.push(`| ${r.name} | ${kb(r.minified)} | ${kb(r.gzipped)} | ${budgetOf(r)} |`);
  }
  return lines.join("\n");
}

/** Today's sizes plus 10 %, rounded up to 100 bytes. */
export function budgetOf(rows) {
  const up = (n) => Math.ceil((n * 1.1) / 100) * 100;
  return Object.fromEntries(rows.filter((r) => !r.peer).map((r) => [r.name, { minified: up(r.minified), gzipped: up(r.gzipped) }]));
}

/** The cases over budget, as messages (empty when none). */
export function overBudget(rows, budget) {
  const out = [];
  for (const r of rows.filter((x) => !x.peer)) {
    const b = budget[r.name];
    if (b === undefined) out.push(`${r.name}: no budget in scripts/size-budget.json (run pnpm run sizes --update-budget)`);
    else for (const k of ["minified", "gzipped"]) if (r[k] > b[k]) out.push(`${r.name}: ${k} ${r[k]} bytes, over its budget of ${b[k]}`);
  }
  return out;
}

async function main() {
  const rows = await measure();
  if (process.argv.includes("--update-budget")) writeFileSync(BUDGET_FILE, `${JSON.stringify(budgetOf(rows), null, 2)}\n`);
  const budget = JSON.parse(readFileSync(BUDGET_FILE, "utf8"));
  const readmePath = join(ROOT, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const a = readme.indexOf(START), b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`sizes: README.md has no ${START} … ${END} block`);
  writeFileSync(readmePath, `${readme.slice(0, a + START.length)}\n${table(rows, budget)}\n${readme.slice(b)}`);
  console.log(table(rows, budget));
  const over = overBudget(rows, budget);
  if (over.length > 0) {
    console.error(`\nover budget:\n  ${over.join("\n  ")}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
