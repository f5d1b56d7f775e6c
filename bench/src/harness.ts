/**
 * The benchmark harness: timing (median after warm-up), machine description, and result files
 * (JSON, a markdown table and an SVG chart under bench/results/, each written atomically).
 */
import { cpus, platform, arch, totalmem } from "node:os";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chartSvg } from "./chart.js";

/** One measurement: a system running a case. */
export interface BenchRow {
  /** The workload, e.g. `1024³` or `LeNet conv2 (16, 100, 150)`. */
  readonly case: string;
  /** Who ran it, e.g. `tessera js (blocked)` or `tfjs-wasm 4.22.0`. */
  readonly system: string;
  /** Median milliseconds per run. */
  readonly ms: number;
  /** The suite's headline value (GFLOP/s, images/s…). */
  readonly value: number;
}

/** What a suite returns. */
export interface SuiteResult {
  readonly title: string;
  /** Unit of `value`: "GFLOP/s", "images/s", … */
  readonly unit: string;
  readonly rows: BenchRow[];
  readonly notes: string[];
}

/** Parsed command line: `--key value` pairs and bare words. */
export interface BenchArgs {
  readonly words: string[];
  readonly flags: Record<string, string>;
}

/** A benchmark suite module's default export. */
export type Suite = (args: BenchArgs, log: (line: string) => void) => Promise<SuiteResult>;

/** Options of {@link measure}. */
export interface MeasureOptions {
  readonly warmup?: number;
  /**
   * Keep warming up until this many ms have passed (after `warmup` runs): wasm engines run a
   * function's baseline code until it is hot, then switch to optimized code, which takes hundreds
   * of sub-millisecond calls; timing the first 50 calls measures the baseline compiler.
   */
  readonly warmupMs?: number;
  readonly minRuns?: number;
  readonly maxRuns?: number;
  /** Keep running until this many ms have been spent (after minRuns). */
  readonly minTimeMs?: number;
}

/** Median ms of `fn` after warm-up runs. Async functions are awaited. */
export async function measure(fn: () => unknown, o: MeasureOptions = {}): Promise<number> {
  const { warmup = 2, warmupMs = 0, minRuns = 5, maxRuns = 50, minTimeMs = 300 } = o;
  for (let i = 0; i < warmup; i++) await fn();
  for (const t = performance.now(); performance.now() - t < warmupMs;) await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || (times.length < maxRuns && performance.now() - start < minTimeMs)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const m = times.length >> 1;
  return times.length % 2 ? times[m] : (times[m - 1] + times[m]) / 2;
}

/** One system of {@link measureInterleaved}: a name (for errors) and the run to time. */
export interface Timed {
  readonly name: string;
  readonly run: () => unknown;
}

/** A system's result in {@link measureInterleaved}: its median ms, or why it failed. */
export type TimedResult = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly why: string };

/**
 * Median ms of each system, timed round-robin (A, B, C, A, B, C, …) after each one's warm-up, so
 * that a machine whose speed drifts between runs (a shared VM) slows every system alike and the
 * ratios between them hold. Options as {@link measure}, per system (`warmupMs` and `minTimeMs` are
 * spent round-robin too). A system that throws is dropped from the later rounds and reported with
 * its error; the others go on.
 */
export async function measureInterleaved(systems: readonly Timed[], o: MeasureOptions = {}): Promise<TimedResult[]> {
  const { warmup = 2, warmupMs = 0, minRuns = 5, maxRuns = 50, minTimeMs = 300 } = o;
  const why: (string | undefined)[] = systems.map(() => undefined);
  const times: number[][] = systems.map(() => []);
  const live = () => systems.map((_, i) => i).filter((i) => why[i] === undefined);
  const once = async (i: number): Promise<number> => {
    const t0 = performance.now();
    try {
      await systems[i].run();
    } catch (e) {
      why[i] = (e as Error).message.split("\n")[0];
    }
    return performance.now() - t0;
  };
  for (let r = 0; r < warmup; r++) for (const i of live()) await once(i);
  for (const t = performance.now(); live().length > 0 && performance.now() - t < warmupMs * systems.length;) for (const i of live()) await once(i);
  const start = performance.now();
  for (let r = 0; r < maxRuns && live().length > 0; r++) {
    if (r >= minRuns && performance.now() - start >= minTimeMs * systems.length) break;
    for (const i of live()) {
      const ms = await once(i);
      if (why[i] === undefined) times[i].push(ms);
    }
  }
  return systems.map((_, i) => (why[i] !== undefined ? { ok: false, why: why[i] } : { ok: true, ms: median(times[i]) }));
}

function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** CPU model, cores, memory, OS and Node version: printed and stored with every result. */
export function machine(): string {
  const c = cpus();
  return `${c[0]?.model ?? "unknown CPU"} (${c.length} logical cores), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()}-${arch()}, Node ${process.version}`;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Markdown table: one row per case, one column per system. */
export function markdownTable(r: SuiteResult): string {
  const systems = [...new Set(r.rows.map((x) => x.system))];
  const cases = [...new Set(r.rows.map((x) => x.case))];
  const head = `| case | ${systems.join(" | ")} |\n|---|${systems.map(() => "---:").join("|")}|`;
  const body = cases.map((c) => `| ${c} | ${systems.map((s) => {
    const row = r.rows.find((x) => x.case === c && x.system === s);
    return row ? row.value.toFixed(r.unit === "GFLOP/s" ? 2 : 1) : "–";
  }).join(" | ")} |`);
  return `### ${r.title} (${r.unit})\n\n${head}\n${body.join("\n")}\n`;
}

/** Writes `<dir>/<name>.json`, `.md` and `.svg`. */
export function writeResults(dir: string, name: string, r: SuiteResult, machineLine: string): string[] {
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString();
  const md = `${markdownTable(r)}\nMachine: ${machineLine}. Date: ${date}.\n${r.notes.map((n) => `\n- ${n}`).join("")}\n`;
  const files = [join(dir, `${name}.json`), join(dir, `${name}.md`), join(dir, `${name}.svg`)];
  writeAtomic(files[0], `${JSON.stringify({ ...r, machine: machineLine, date }, null, 2)}\n`);
  writeAtomic(files[1], md);
  writeAtomic(files[2], chartSvg(r, machineLine));
  return files;
}

/** Flags that take no value (`--save` never swallows the next word). */
const BOOLEAN_FLAGS = new Set(["save"]);

/** Parses `--key value` / `--flag` and bare words. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const words: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const [k, v] = a.slice(2).split("=", 2);
      if (v !== undefined) flags[k] = v;
      else if (!BOOLEAN_FLAGS.has(k) && i + 1 < argv.length && !argv[i + 1].startsWith("--")) flags[k] = argv[++i];
      else flags[k] = "true";
    } else words.push(a);
  }
  return { words, flags };
}
