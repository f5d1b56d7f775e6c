/**
 * Bundles the workspace packages' public entries for the browser with esbuild and reports what a
 * browser bundle must not hold: build errors or warnings, `node:` specifiers (static, dynamic or
 * hidden in a string that is imported at run time) and dynamic imports a bundler cannot follow.
 * Used by scripts/bundle.test.mjs and scripts/sizes.mjs.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Subpaths that are Node-only by design and documented as such (their README and TSDoc say so):
 * `@tessera/nn/node` (TensorBoard event files in a log directory). Every other JS subpath of every
 * package must bundle for the browser.
 */
export const NODE_ONLY_SUBPATHS = new Set(["@tessera/nn/node"]);

/** The browser bundle options of every check (the ones issue 13 names). */
export const BROWSER_OPTIONS = { bundle: true, platform: "browser", format: "esm", minify: true, write: false, conditions: ["browser"], logLevel: "silent", metafile: true };

/** Each package under packages/ with its folder and the JS subpaths of its `exports` map. */
export function publicEntries(root = ROOT) {
  const entries = [];
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    const file = join(root, "packages", dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    for (const [sub, target] of Object.entries(pkg.exports ?? { ".": pkg.main })) {
      const js = typeof target === "string" ? target : target.default ?? target.browser ?? target.import;
      if (typeof js !== "string" || !js.endsWith(".js")) continue; // assets such as the bundled MNIST file
      const specifier = sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
      entries.push({ specifier, dir: join(root, "packages", dir), nodeOnly: NODE_ONLY_SUBPATHS.has(specifier) });
    }
  }
  return entries;
}

/** A quoted `node:` specifier anywhere in the output: an import of a Node built-in, seen or hidden. */
const NODE_SPECIFIER = /(["'`])node:[\w/]+\1/g;
/** `import(x)` with a non-literal argument: a bundler can neither follow nor copy what it loads. */
const OPAQUE_IMPORT = /\bimport\((?!\s*["'`])[^)]{0,40}\)/g;

/**
 * Bundles `contents` (an ES module importing workspace packages) resolved from `resolveDir` for the
 * browser. Returns the minified code, its gzipped size, esbuild's metafile and the problems found
 * (empty when the bundle is clean).
 */
export async function bundleForBrowser(contents, resolveDir) {
  let result;
  try {
    result = await esbuild.build({ ...BROWSER_OPTIONS, stdin: { contents, resolveDir, loader: "js", sourcefile: "entry.js" } });
  } catch (e) {
    const errors = e.errors ?? [{ text: String(e) }];
    return { problems: errors.map((m) => `error: ${m.text}${m.location ? ` (${m.location.file}:${m.location.line})` : ""}`) };
  }
  const code = result.outputFiles[0].text;
  const problems = result.warnings.map((m) => `warning: ${m.text}${m.location ? ` (${m.location.file}:${m.location.line})` : ""}`);
  for (const m of code.matchAll(NODE_SPECIFIER)) problems.push(`node built-in in the output: ${m[0]}`);
  for (const m of code.matchAll(OPAQUE_IMPORT)) problems.push(`dynamic import a bundler cannot follow: ${m[0]}`);
  for (const out of Object.values(result.metafile.outputs)) {
    for (const imp of out.imports) if (imp.external) problems.push(`unbundled import: ${imp.path}`);
  }
  return { code, minified: Buffer.byteLength(code), gzipped: gzipSync(code, { level: 9 }).length, metafile: result.metafile, problems };
}
