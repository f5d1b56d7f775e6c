#!/usr/bin/env node
// Dependency-direction check (DESIGN.md §1): fails when a package imports against the arrows,
// e.g. @tessera/conv importing a backend. Library source may import only the packages listed for
// it below; test files (*.test.ts) may additionally import backends, so every device runs the
// same tests. package.json "dependencies" are held to the same rule.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** What each package may depend on (its own arrows, transitively spelled out). */
export const ALLOWED = {
  "@tessera/ndarray": [],
  "@tessera/blas": ["@tessera/ndarray"],
  "@tessera/blas-wasm": ["@tessera/blas", "@tessera/ndarray"],
  "@tessera/blas-webgpu": ["@tessera/blas", "@tessera/ndarray"],
  "@tessera/conv": ["@tessera/blas", "@tessera/ndarray"],
  "@tessera/autograd": ["@tessera/conv", "@tessera/blas", "@tessera/ndarray"],
  "@tessera/optim": ["@tessera/autograd", "@tessera/conv", "@tessera/blas", "@tessera/ndarray"],
  "@tessera/nn": ["@tessera/optim", "@tessera/autograd", "@tessera/conv", "@tessera/blas", "@tessera/ndarray"],
  "@tessera/models": ["@tessera/nn", "@tessera/optim", "@tessera/autograd", "@tessera/conv", "@tessera/blas", "@tessera/ndarray"],
  "@tessera/onnx": ["@tessera/nn", "@tessera/optim", "@tessera/autograd", "@tessera/conv", "@tessera/blas", "@tessera/ndarray"],
  "@tessera/data": ["@tessera/ndarray"],
};
/** Packages a package's tests (only) may also import: @tessera/onnx round-trips the zoo beside it. */
export const TEST_ONLY = {
  "@tessera/onnx": ["@tessera/models"],
};
/** Backends: leaves that only tests, apps and benchmarks may import from above. */
export const BACKENDS = ["@tessera/blas-wasm", "@tessera/blas-webgpu"];

const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)["'](@tessera\/[a-z0-9-]+)(?:\/[^"']*)?["']/g;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "node_modules" && name !== "dist" && name !== "generated") walk(p, out);
    } else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

/** Returns a list of violations (strings) for the workspace at `root`. */
export function checkDeps(root) {
  const errors = [];
  const pkgsDir = join(root, "packages");
  if (!existsSync(pkgsDir)) return errors;
  for (const dir of readdirSync(pkgsDir)) {
    const pj = join(pkgsDir, dir, "package.json");
    if (!existsSync(pj)) continue;
    const pkg = JSON.parse(readFileSync(pj, "utf8"));
    const allowed = ALLOWED[pkg.name];
    if (!allowed) {
      errors.push(`${pkg.name}: not in the dependency table of scripts/check-deps.mjs (add it with its arrows from DESIGN.md §1)`);
      continue;
    }
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (dep.startsWith("@tessera/") && !allowed.includes(dep)) errors.push(`${pkg.name}: package.json depends on ${dep}, against the arrows (allowed: ${allowed.join(", ") || "none"})`);
    }
    const src = join(pkgsDir, dir, "src");
    if (!existsSync(src)) continue;
    for (const file of walk(src)) {
      const isTest = /\.test\.[mc]?[jt]s$/.test(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(IMPORT)) {
        const dep = m[1];
        if (dep === pkg.name) continue;
        if (allowed.includes(dep) || (isTest && (BACKENDS.includes(dep) || (TEST_ONLY[pkg.name] ?? []).includes(dep)))) continue;
        const line = text.slice(0, m.index).split("\n").length;
        errors.push(`${relative(root, file)}:${line}: ${pkg.name} imports ${dep}, against the arrows of DESIGN.md §1 (allowed: ${allowed.join(", ") || "none"})`);
      }
    }
  }
  return errors;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
  const errors = checkDeps(root);
  if (errors.length) {
    console.error(`dependency check failed:\n  ${errors.join("\n  ")}`);
    process.exit(1);
  }
  console.log("dependency check: every import follows the arrows of DESIGN.md §1");
}
