import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Value imports (static, re-exports and dynamic); `import type` / `export type` are erased. */
const IMPORT = /(?:^|[;\s])(?:import|export)\s+(?!type\s)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)/g;

/** Files reachable from `entry` (relative to src) and the `node:` modules each imports. */
function nodeImports(entry: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const todo = [join(SRC, entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    const rel = relative(SRC, file);
    if (out.has(rel)) continue;
    const found: string[] = [];
    out.set(rel, found);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith("node:")) found.push(spec);
      else if (spec.startsWith(".")) todo.push(join(dirname(file), spec.replace(/\.js$/, ".ts")));
    }
  }
  return out;
}

describe("browser safety of @tessera/nn's main entry", () => {
  it("reaches the TensorBoard writer, reader and callback without any node: import", () => {
    const reach = nodeImports("index.ts");
    for (const f of ["tensorboard/writer.ts", "tensorboard/reader.ts", "tensorboard/callback.ts", "tensorboard/proto/event_pb.ts"]) expect(reach.has(f), f).toBe(true);
    expect(reach.has("tensorboard/log-dir.ts")).toBe(false);
    // weights.ts (saveWeights/loadWeights, dynamic node:fs imports) predates this rule and is
    // outside the TensorBoard work; every other file must stay free of node: imports.
    const offenders = [...reach].filter(([f, specs]) => specs.length > 0 && f !== "weights.ts").map(([f]) => f);
    expect(offenders).toEqual([]);
  });

  it("finds node: imports where they are (the check can fail)", () => {
    expect(nodeImports("node.ts").get("tensorboard/log-dir.ts")).toEqual(["node:fs/promises", "node:os", "node:path"]);
  });
});
