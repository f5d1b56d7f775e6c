/**
 * `profile(fn, options)`: where the time of a forward pass (or a training step) goes, per device
 * routine and per layer, with GFLOP/s from the routines' shapes.
 */
import { getDevice, listDevices, type Device } from "@tessera/blas";
import { rejectUnknownOptions } from "@tessera/optim";
import { Module } from "./module.js";
import { begin, end, type Acc, type Session } from "./profile-hooks.js";
import { ProfileReport, type LayerRow, type ProfileRow } from "./profile-report.js";

/**
 * Options of {@link profile}.
 *
 * @example
 * ```ts
 * import type { ProfileOptions } from "@tessera/nn";
 * const o: ProfileOptions = { sync: "end" };
 * ```
 */
export interface ProfileOptions {
  /**
   * The model whose layers get rows (module paths such as `layer1.0.conv1`). Its parameters'
   * devices are profiled too.
   */
  readonly model?: Module;
  /**
   * Devices whose routines are timed, besides the model's. Default (no model and no devices):
   * every registered device.
   */
  readonly devices?: readonly Device[];
  /**
   * `'end'` (default): one `await device.sync()` after `fn`, inside the total, for devices that
   * queue work (WebGPU: no `readSync`); their per-routine times are then the times to encode and
   * submit the work, not to run it. `'op'`: every routine's time must be its running time; this
   * holds on synchronous devices (js, wasm), and a device that queues work cannot wait inside a
   * synchronous call, so it is rejected with an error rather than reported wrongly.
   */
  readonly sync?: "end" | "op";
}

function devicesOf(m: Module): Device[] {
  return [...new Set([...m.parameters(), ...m.buffers()].map((t) => t.device))];
}

function toRow(name: string, a: Acc, totalMs: number): ProfileRow {
  return { name, calls: a.calls, ms: a.ms, percent: totalMs > 0 ? (100 * a.ms) / totalMs : 0, flops: a.flops, gflops: rate(a.flops, a.ms) };
}

function rate(flops: number | null, ms: number): number | null {
  return flops === null || !(ms > 0) ? null : flops / ms / 1e6;
}

/**
 * Runs `fn` (sync or async) once and reports where the time went: per device routine (`sgemm`,
 * `convForward`, `binary:add`…) and, with `model`, per layer (module path, inclusive of its
 * children) and per leaf layer type, with calls, milliseconds, % of the total, and GFLOP/s from
 * the routines' shapes (FLOPs of a convolution count 2 per multiply-add, whichever way the device
 * computes it). Hooks exist only while `fn` runs: code that is not profiled pays nothing.
 * Profiles nest (an inner profile's events also count in the outer one). Work running concurrently
 * with an async `fn` on the same devices is counted too.
 *
 * @example
 * ```ts
 * import { tensor } from "@tessera/autograd";
 * import { profile, Sequential, Conv2d, ReLU, Flatten, Linear } from "@tessera/nn";
 * const net = new Sequential(new Conv2d(1, 4, 3, { padding: 1 }), new ReLU(), new Flatten(), new Linear(4 * 8 * 8, 10)).eval();
 * const x = tensor(new Float32Array(2 * 64), { shape: [2, 1, 8, 8] });
 * const report = await profile(() => net.forward(x), { model: net });
 * console.log(report.table());
 * report.layers.map((r) => r.path); // ["", "0", "1", "2", "3"]
 * ```
 */
export async function profile<T>(fn: () => T | Promise<T>, options: ProfileOptions = {}): Promise<ProfileReport<Awaited<T>>> {
  if (typeof fn !== "function") throw new TypeError(`profile: fn must be a function, got ${fn === null ? "null" : typeof fn}`);
  if (typeof options !== "object" || options === null) throw new TypeError(`profile: options must be an object, got ${options === null ? "null" : typeof options}`);
  rejectUnknownOptions("profile", "options", options, ["model", "devices", "sync"]);
  const { model, sync = "end" } = options;
  if (model !== undefined && !(model instanceof Module)) throw new TypeError("profile: options.model must be a Module");
  if (sync !== "end" && sync !== "op") throw new RangeError(`profile: options.sync must be 'end' or 'op', got ${JSON.stringify(sync)}`);
  if (options.devices !== undefined && !Array.isArray(options.devices)) throw new TypeError("profile: options.devices must be an array of devices");
  const given = [...(options.devices ?? []), ...(model ? devicesOf(model) : [])];
  const devices = [...new Set(given.length > 0 || model ? given : listDevices().map((n) => getDevice(n)))];
  const queued = devices.filter((d) => typeof d.readSync !== "function");
  if (sync === "op" && queued.length > 0) {
    throw new Error(`profile: options.sync 'op' needs devices that finish each routine before returning; '${queued[0].name}' queues work (no readSync) and cannot be waited for inside a routine: use sync 'end' (per-routine times on it are then submission times)`);
  }
  const modules = model ? model.namedModules() : [];
  const depths = new Map<Module, number>();
  const walk = (m: Module, d: number): void => {
    if (depths.has(m)) return;
    depths.set(m, d);
    for (const [, c] of m.namedChildren()) walk(c, d + 1);
  };
  if (model) walk(model, 0);
  const session: Session = { paths: new Map(modules.map(([p, m]) => [m, p])), ops: new Map(), layers: new Map(), unknown: new Set() };
  begin(session, devices);
  const t0 = performance.now();
  let result: Awaited<T>;
  try {
    result = await fn();
    for (const d of queued) await d.sync();
  } finally {
    end(session, devices);
  }
  const totalMs = performance.now() - t0;
  const ops = [...session.ops].map(([k, a]) => toRow(k, a, totalMs)).sort((a, b) => b.ms - a.ms);
  const layers: LayerRow[] = [];
  const types = new Map<string, Acc>();
  for (const [path, m] of modules) {
    const a = session.layers.get(m);
    if (!a || a.calls === 0) continue;
    const type = m.constructor.name;
    layers.push({ ...toRow(path === "" ? "(model)" : path, a, totalMs), path, type, depth: depths.get(m) ?? 0 });
    if (m.namedChildren().length > 0) continue;
    const t = types.get(type) ?? { calls: 0, ms: 0, flops: 0 };
    types.set(type, { calls: t.calls + a.calls, ms: t.ms + a.ms, flops: (t.flops ?? 0) + (a.flops ?? 0) });
  }
  const notes = queued.map((d) => `'${d.name}' queues its work: routine times are submission times; the total includes one sync at the end`);
  if (session.unknown.size > 0) notes.push(`routines without a FLOP count (their time is counted, their FLOPs are not): ${[...session.unknown].join(", ")}`);
  return new ProfileReport(result, {
    totalMs,
    ops,
    layers,
    types: [...types].map(([k, a]) => toRow(k, a, totalMs)).sort((a, b) => b.ms - a.ms),
    devices: devices.map((d) => d.name),
    notes,
  });
}
