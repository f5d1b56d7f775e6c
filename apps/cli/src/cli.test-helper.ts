/**
 * Helpers the CLI's test files share (excluded from the build): run `tessera` in-process with its
 * output captured, and the parts of a run folder that an interrupted-and-resumed run must reproduce.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run.js";

/** Runs `tessera ARGS` in this process; returns its exit code and its stdout / stderr lines joined. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** What must not change when a run is interrupted and resumed: weights and every logged number but the timings. */
export function runOutcome(dir: string) {
  const metrics = JSON.parse(readFileSync(join(dir, "metrics.json"), "utf8")) as Record<string, number>[];
  return {
    last: createHash("sha256").update(readFileSync(join(dir, "last.safetensors"))).digest("hex"),
    best: createHash("sha256").update(readFileSync(join(dir, "best.safetensors"))).digest("hex"),
    metrics: metrics.map(({ seconds: _s, images_per_second: _i, ...rest }) => rest),
  };
}
