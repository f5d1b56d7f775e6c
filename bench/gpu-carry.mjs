#!/usr/bin/env node
/**
 * Lists, one per line relative to the repo root, the ignored files and folders that
 * `node bench/dist/main.js` needs at run time: bench/dist, the dist folder of every workspace
 * package bench reaches through `dependencies`, and the runtime closure of node_modules (pnpm's
 * symlinks and the `node_modules/.pnpm/<pkg>` folders they point to), following `dependencies` and
 * `optionalDependencies` only (bench's devDependencies too: the peers, minus @types). Used by
 * `bench/gpu-check.sh --pack`; warns on stderr when a dist folder looks older than its sources.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const rel = (p) => relative(root, p).split(sep).join("/");
const out = new Set();
const seen = new Set();

function newest(dir, test) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) t = Math.max(t, newest(p, test));
    else if (test(name)) t = Math.max(t, s.mtimeMs);
  }
  return t;
}

/** Where `dep` is linked for the package in `pkgDir` (a workspace folder or a store entry). */
function linkOf(pkgDir, pkgName, dep) {
  if (!rel(pkgDir).startsWith("node_modules/.pnpm/")) return join(pkgDir, "node_modules", dep);
  // A store package sits at .pnpm/<entry>/node_modules/<name>; its dependencies are linked beside it.
  return join(pkgDir, ...pkgName.split("/").map(() => ".."), dep);
}

/** Adds the package in `pkgDir` named `pkgName`, following `names`; `optional` ones may be absent. */
function visit(pkgDir, pkgName, names, optional = new Set()) {
  for (const name of names) {
    const link = linkOf(pkgDir, pkgName, name);
    if (!existsSync(link)) {
      if (optional.has(name)) continue;
      throw new Error(`${rel(pkgDir)}: dependency ${name} is not installed (run pnpm install)`);
    }
    if (lstatSync(link).isSymbolicLink()) out.add(rel(link));
    const real = realpathSync(link);
    if (seen.has(real)) continue;
    seen.add(real);
    const r = rel(real);
    const pj = JSON.parse(readFileSync(join(real, "package.json"), "utf8"));
    const opt = new Set([...Object.keys(pj.optionalDependencies ?? {}), ...Object.keys(pj.peerDependencies ?? {})]);
    const deps = [...new Set([...Object.keys(pj.dependencies ?? {}), ...opt])];
    if (r.startsWith("node_modules/.pnpm/")) {
      // The whole store entry: the package and the links to its own dependencies.
      out.add(r.split("/").slice(0, 3).join("/"));
    } else {
      // A workspace package: its dist (tracked files travel anyway) and its node_modules links.
      const dist = join(real, "dist");
      if (!existsSync(dist)) throw new Error(`${r}/dist is missing: build it first (pnpm build)`);
      out.add(`${r}/dist`);
      const src = join(real, "src");
      if (existsSync(src)) {
        const srcT = newest(src, (n) => /\.(ts|wgsl)$/.test(n) && !n.endsWith(".test.ts"));
        const distT = newest(dist, (n) => n.endsWith(".js"));
        if (srcT > distT) console.error(`warning: ${r}/src is newer than ${r}/dist: rebuild it (pnpm build) before packing`);
      }
    }
    visit(real, pj.name, deps, opt);
  }
}

const bench = join(root, "bench");
const bj = JSON.parse(readFileSync(join(bench, "package.json"), "utf8"));
out.add("bench/dist");
visit(bench, bj.name, [...Object.keys(bj.dependencies ?? {}), ...Object.keys(bj.devDependencies ?? {}).filter((d) => !d.startsWith("@types/"))]);
// Drop paths inside another listed folder (a store entry's own dependency links).
const list = [...out].sort().filter((p, _, all) => !all.some((q) => q !== p && p.startsWith(`${q}/`)));
process.stdout.write(list.join("\n") + "\n");
