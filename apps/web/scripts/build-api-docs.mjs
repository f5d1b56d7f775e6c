#!/usr/bin/env node
// Builds the typedoc API site (the repository's typedoc.json, warnings as errors) into
// apps/web/dist/api, so the static site serves it under /api/. Needs the packages built (`pnpm build`).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const out = fileURLToPath(new URL("../dist/api", import.meta.url));
if (!existsSync(new URL("../dist/index.html", import.meta.url))) {
  console.error("build-api-docs: apps/web/dist/index.html is missing; run `vite build` first");
  process.exit(1);
}
const r = spawnSync("pnpm", ["exec", "typedoc", "--out", out], { cwd: root, stdio: "inherit" });
if (r.status !== 0) {
  console.error(`build-api-docs: typedoc failed (exit ${r.status ?? r.signal})`);
  process.exit(r.status ?? 1);
}
