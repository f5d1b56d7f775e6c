/**
 * The result of `profile()`: rows per device routine, per layer and per layer type, as a table
 * and as JSON.
 */

/**
 * One row of a {@link ProfileReport}: a device routine (`sgemm`, `binary:add`), a layer or a layer
 * type, with its calls, time and FLOPs.
 *
 * @example
 * ```ts
 * import type { ProfileRow } from "@tessera/nn";
 * const r: ProfileRow = { name: "sgemm", calls: 4, ms: 2, percent: 50, flops: 2e7, gflops: 10 };
 * ```
 */
export interface ProfileRow {
  /** Routine, layer path (`(model)` for the root) or layer type. */ readonly name: string;
  /** Calls during the profile. */ readonly calls: number;
  /** Milliseconds, summed over the calls (a layer's include its children's). */ readonly ms: number;
  /** Share of the profile's total time, in %. */ readonly percent: number;
  /** Floating-point operations from the shapes, or null for a routine whose count is unknown (layer and type rows count the known ones). */ readonly flops: number | null;
  /** flops / ms in GFLOP/s, or null. */ readonly gflops: number | null;
}

/**
 * A layer's row: its module path, class and depth in the tree.
 *
 * @example
 * ```ts
 * import type { LayerRow } from "@tessera/nn";
 * const r: LayerRow = { name: "layer1.0.conv1", path: "layer1.0.conv1", type: "Conv2d", depth: 3, calls: 1, ms: 2, percent: 5, flops: 2e8, gflops: 100 };
 * ```
 */
export interface LayerRow extends ProfileRow {
  /** Dotted module path (`''` for the model itself). */ readonly path: string;
  /** Class name. */ readonly type: string;
  /** Depth in the module tree (0 for the model). */ readonly depth: number;
}

/**
 * The rows and totals a {@link ProfileReport} holds (what `toJSON()` returns).
 *
 * @example
 * ```ts
 * import type { ProfileData } from "@tessera/nn";
 * const d: ProfileData = { totalMs: 1, ops: [], layers: [], types: [], devices: ["js"], notes: [] };
 * ```
 */
export interface ProfileData {
  /** Wall-clock milliseconds of the profiled function (and of the final device sync). */ readonly totalMs: number;
  /** One row per device routine kind, slowest first. */ readonly ops: readonly ProfileRow[];
  /** One row per layer that ran, in module-tree order (rows are inclusive of children). */ readonly layers: readonly LayerRow[];
  /** Leaf layers summed by class, slowest first. */ readonly types: readonly ProfileRow[];
  /** Names of the devices whose routines were timed. */ readonly devices: readonly string[];
  /** What the numbers mean on these devices (e.g. submission times on WebGPU). */ readonly notes: readonly string[];
}

/**
 * What {@link ProfileReport.toJSON} returns: the rows and totals, with the device time and FLOPs.
 *
 * @example
 * ```ts
 * import type { ProfileJson } from "@tessera/nn";
 * const j: ProfileJson = { totalMs: 1, deviceMs: 0.5, flops: 0, ops: [], layers: [], types: [], devices: ["js"], notes: [] };
 * ```
 */
export interface ProfileJson extends ProfileData {
  /** Milliseconds spent in device routines. */ readonly deviceMs: number;
  /** Total FLOPs of the device routines whose count is known. */ readonly flops: number;
}

/**
 * Options of {@link ProfileReport.table}.
 *
 * @example
 * ```ts
 * import type { ProfileTableOptions } from "@tessera/nn";
 * const o: ProfileTableOptions = { maxDepth: 2 };
 * ```
 */
export interface ProfileTableOptions {
  /** Deepest layer rows to print (default: all). */ readonly maxDepth?: number;
}

function fmt(v: number | null, digits: number): string {
  return v === null ? "–" : v.toFixed(digits);
}

function section(title: string, rows: readonly ProfileRow[], label: (r: ProfileRow) => string): string[] {
  const names = rows.map(label);
  const w = Math.max(title.length, ...names.map((n) => n.length));
  const head = `${title.padEnd(w)}  ${"calls".padStart(6)}  ${"ms".padStart(10)}  ${"%".padStart(6)}  ${"MFLOP".padStart(10)}  ${"GFLOP/s".padStart(8)}`;
  return [head, "-".repeat(head.length), ...rows.map((r, i) =>
    `${names[i].padEnd(w)}  ${String(r.calls).padStart(6)}  ${r.ms.toFixed(3).padStart(10)}  ${r.percent.toFixed(1).padStart(6)}  ${fmt(r.flops === null ? null : r.flops / 1e6, 2).padStart(10)}  ${fmt(r.gflops, 2).padStart(8)}`)];
}

/**
 * What {@link profile} measured: the function's result, the total, and rows per device routine
 * (`ops`), per layer (`layers`) and per leaf layer type (`types`). Times are wall-clock and vary
 * from run to run; FLOPs follow from the shapes and do not.
 *
 * @example
 * ```ts
 * import { tensor } from "@tessera/autograd";
 * import { profile, Linear } from "@tessera/nn";
 * const fc = new Linear(8, 4);
 * const report = await profile(() => fc.forward(tensor(new Float32Array(16), { shape: [2, 8] })), { model: fc });
 * report.ops.find((r) => r.name === "sgemm")?.flops; // 128
 * JSON.stringify(report);                            // rows and totals, without the result
 * ```
 */
export class ProfileReport<T = unknown> implements ProfileData {
  readonly totalMs: number;
  readonly ops: readonly ProfileRow[];
  readonly layers: readonly LayerRow[];
  readonly types: readonly ProfileRow[];
  readonly devices: readonly string[];
  readonly notes: readonly string[];

  /** @internal Built by {@link profile}. */
  constructor(
    /** What the profiled function returned (awaited). */
    readonly result: T,
    data: ProfileData,
  ) {
    this.totalMs = data.totalMs;
    this.ops = data.ops;
    this.layers = data.layers;
    this.types = data.types;
    this.devices = data.devices;
    this.notes = data.notes;
  }

  /**
   * Milliseconds spent in device routines (the rest of {@link ProfileReport.totalMs} is host work:
   * JavaScript, validation, allocation bookkeeping).
   *
   * @example
   * ```ts
   * import { profile, Linear } from "@tessera/nn";
   * import { tensor } from "@tessera/autograd";
   * const fc = new Linear(2, 2);
   * const r = await profile(() => fc.forward(tensor([[1, 2]])), { model: fc });
   * r.deviceMs <= r.totalMs; // true
   * ```
   */
  get deviceMs(): number {
    return this.ops.reduce((s, r) => s + r.ms, 0);
  }

  /**
   * Total FLOPs of the device routines whose count is known (the notes name the others).
   *
   * @example
   * ```ts
   * import { profile, Linear } from "@tessera/nn";
   * import { tensor } from "@tessera/autograd";
   * const fc = new Linear(2, 2, { bias: false });
   * (await profile(() => fc.forward(tensor([[1, 2]])), { model: fc })).flops; // 8
   * ```
   */
  get flops(): number {
    return this.ops.reduce((s, r) => s + (r.flops ?? 0), 0);
  }

  /**
   * The report as a printable table: by device routine, by layer (indented by depth), by layer type.
   *
   * @example
   * ```ts
   * import { profile, Linear } from "@tessera/nn";
   * import { tensor } from "@tessera/autograd";
   * const fc = new Linear(2, 2);
   * console.log((await profile(() => fc.forward(tensor([[1, 2]])), { model: fc })).table());
   * ```
   */
  table(options: ProfileTableOptions = {}): string {
    const maxDepth = options.maxDepth ?? Infinity;
    if (!(maxDepth >= 0)) throw new RangeError(`ProfileReport.table: options.maxDepth must be a number >= 0, got ${String(options.maxDepth)}`);
    const host = this.totalMs - this.deviceMs;
    const hostRow: ProfileRow = { name: "(host, outside routines)", calls: 0, ms: host, percent: this.totalMs > 0 ? (100 * host) / this.totalMs : 0, flops: null, gflops: null };
    const lines = [
      `profile: ${this.totalMs.toFixed(3)} ms in all on ${this.devices.join(", ") || "no device"}, ${(this.flops / 1e6).toFixed(2)} MFLOP (${fmt(this.totalMs > 0 ? this.flops / this.totalMs / 1e6 : null, 2)} GFLOP/s)`,
      ...this.notes.map((n) => `note: ${n}`),
      "",
      ...section("device routine", [...this.ops, hostRow], (r) => r.name),
    ];
    const layers = this.layers.filter((r) => r.depth <= maxDepth);
    if (layers.length > 0) lines.push("", ...section("layer", layers, (r) => `${"  ".repeat((r as LayerRow).depth)}${r.name} (${(r as LayerRow).type})`));
    if (this.types.length > 0) lines.push("", ...section("leaf layer type", this.types, (r) => r.name));
    return lines.join("\n");
  }

  /**
   * Rows and totals as plain data (the profiled function's result is left out).
   *
   * @example
   * ```ts
   * import { profile, Linear } from "@tessera/nn";
   * import { tensor } from "@tessera/autograd";
   * const fc = new Linear(2, 2);
   * const json = (await profile(() => fc.forward(tensor([[1, 2]])), { model: fc })).toJSON();
   * json.layers[0].type; // "Linear"
   * ```
   */
  toJSON(): ProfileJson {
    return { totalMs: this.totalMs, deviceMs: this.deviceMs, flops: this.flops, ops: this.ops, layers: this.layers, types: this.types, devices: this.devices, notes: this.notes };
  }
}
