/**
 * A full training checkpoint as ONE safetensors file: the weights (`model.*`), the optimizer's
 * tensors (`optimizer.*`) and, in the metadata, the run state (any JSON, with the Dropout layers'
 * counters), the optimizer's options, the scheduler's state when there is one, and a SHA-256 over
 * every tensor. The format of `tessera train`'s `checkpoint.safetensors`; the codec runs anywhere
 * (bytes in, bytes out), so Node files, IndexedDB and Blobs hold the same bytes.
 */
import type { HasLr, Optimizer, OptimizerStateDict, SchedulerStateDict } from "@tessera/optim";
import { Dropout } from "./layers/activations.js";
import type { Module } from "./module.js";
import { Sha256 } from "./sha256.js";
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from "./safetensors.js";

/**
 * The `format` metadata value of a checkpoint.
 *
 * @example
 * ```ts
 * import { CHECKPOINT_FORMAT } from "@tessera/nn";
 * CHECKPOINT_FORMAT; // → "tessera-train-checkpoint-1"
 * ```
 */
export const CHECKPOINT_FORMAT = "tessera-train-checkpoint-1";

/**
 * What a checkpoint saves and restores a schedule through: `stateDict()` / `loadStateDict()`, as
 * every scheduler of `@tessera/optim` has.
 *
 * @example
 * ```ts
 * import type { CheckpointScheduler } from "@tessera/nn";
 * import { SGD, StepLR } from "@tessera/optim";
 * import { Linear } from "@tessera/nn";
 * const s: CheckpointScheduler = new StepLR(new SGD(new Linear(2, 1).parameters(), { lr: 0.1 }), 10);
 * ```
 */
export interface CheckpointScheduler {
  /** The schedule's progress and hyper-parameters. */
  stateDict(): SchedulerStateDict;
  /** Restores {@link CheckpointScheduler.stateDict}'s result. */
  loadStateDict(sd: SchedulerStateDict): void;
}

/**
 * The objects a checkpoint is written from and loaded into.
 *
 * @example
 * ```ts
 * import { Linear, type CheckpointTargets } from "@tessera/nn";
 * import { SGD } from "@tessera/optim";
 * const model = new Linear(2, 1);
 * const t: CheckpointTargets = { model, optimizer: new SGD(model.parameters(), { lr: 0.1 }) };
 * ```
 */
export interface CheckpointTargets {
  /** The model (its state dict, and the counters of its Dropout layers). */
  readonly model: Module;
  /** The optimizer over the model's parameters. */
  readonly optimizer: Optimizer<HasLr>;
  /** The learning-rate schedule, if the run has one (a checkpoint with one needs one to load). */
  readonly scheduler?: CheckpointScheduler;
}

/**
 * What {@link checkpointToBytes} writes: the targets and the run state.
 *
 * @example
 * ```ts
 * import { Linear, type CheckpointContents } from "@tessera/nn";
 * import { SGD } from "@tessera/optim";
 * const model = new Linear(2, 1);
 * const c: CheckpointContents<{ epoch: number }> = { model, optimizer: new SGD(model.parameters(), { lr: 0.1 }), state: { epoch: 3 } };
 * ```
 */
export interface CheckpointContents<S extends object> extends CheckpointTargets {
  /**
   * The run state: a plain object of JSON values (epoch, batch, history…). Its `dropout` field is
   * written by the codec: the counters of the model's Dropout layers, by module path.
   */
  readonly state: S;
}

/**
 * The run state as read back: the saved object, with the Dropout counters.
 *
 * @example
 * ```ts
 * import type { CheckpointState } from "@tessera/nn";
 * const s: CheckpointState<{ epoch: number }> = { epoch: 3, dropout: { "1": 4096 } };
 * ```
 */
export type CheckpointState<S> = S & {
  /** The counters of the model's Dropout layers, by module path. */
  readonly dropout: Record<string, number>;
};

/**
 * A checkpoint whose bytes {@link decodeCheckpoint} has verified (format, SHA-256, layout), not
 * yet loaded.
 *
 * @example
 * ```ts
 * import { checkpointToBytes, decodeCheckpoint, Linear, type DecodedCheckpoint } from "@tessera/nn";
 * import { SGD } from "@tessera/optim";
 * const model = new Linear(2, 1);
 * const bytes = await checkpointToBytes({ model, optimizer: new SGD(model.parameters(), { lr: 0.1 }), state: { epoch: 3 } });
 * const c: DecodedCheckpoint<{ epoch: number }> = decodeCheckpoint(bytes);
 * c.state.epoch; // → 3
 * ```
 */
export interface DecodedCheckpoint<S> {
  /** The run state (a fresh object: change it freely). */
  readonly state: CheckpointState<S>;
  /** Whether a scheduler's state is in the checkpoint. */
  readonly hasScheduler: boolean;
  /**
   * Loads the weights, the optimizer's state, the scheduler's state and the Dropout counters, all
   * or nothing: everything is checked first, and a load that fails part-way puts back what it had
   * changed. A mismatch (keys, shapes, parameter layout, scheduler class) throws the error of the
   * load that refused it.
   */
  load(targets: CheckpointTargets): Promise<void>;
}

/**
 * A checkpoint whose bytes are not a valid tessera checkpoint: not safetensors, another format, a
 * SHA-256 that does not match, or metadata that does not parse. `reason` says which.
 *
 * @example
 * ```ts
 * import { CheckpointError, decodeCheckpoint } from "@tessera/nn";
 * try { decodeCheckpoint(new Uint8Array(4)); } catch (e) { (e as CheckpointError).reason; } // "safetensors: file has 4 bytes, …"
 * ```
 */
export class CheckpointError extends Error {
  /** What is wrong with the bytes (the part of the message in parentheses). */
  readonly reason: string;
  /** Creates the error: `fn` is the function that refused the bytes, `reason` what is wrong with them. */
  constructor(fn: string, reason: string) {
    super(`${fn}: damaged or not a tessera checkpoint (${reason})`);
    this.reason = reason;
    this.name = "CheckpointError";
  }
}

function dropouts(model: Module): [string, { counter: number }][] {
  return model.namedModules().filter(([, m]) => m instanceof Dropout).map(([k, m]) => [k, m as unknown as { counter: number }]);
}

/**
 * The counters of the model's Dropout layers by module path: state that no state dict holds, which
 * a resumed run needs to draw the masks an uninterrupted run would have drawn.
 *
 * @example
 * ```ts
 * import { Dropout, Linear, Sequential, dropoutCounters } from "@tessera/nn";
 * dropoutCounters(new Sequential(new Linear(4, 4), new Dropout(0.5))); // → { "1": 0 }
 * ```
 */
export function dropoutCounters(model: Module): Record<string, number> {
  return Object.fromEntries(dropouts(model).map(([k, m]) => [k, m.counter]));
}

/** The SHA-256 of tensors: sorted by name, each as `name:i|f:shape;` then its bytes. */
function digest(tensors: ReadonlyMap<string, SafeTensor>): string {
  const h = new Sha256();
  for (const k of [...tensors.keys()].sort()) {
    const t = tensors.get(k)!;
    h.update(`${k}:${t.data instanceof Int32Array ? "i" : "f"}:${t.shape.join(",")};`);
    h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return h.hex();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}

/**
 * Encodes a training checkpoint as safetensors bytes: the model's state dict (`model.<key>`),
 * the optimizer's tensors (`optimizer.<param>.<name>`), and as metadata the run state with the
 * Dropout counters, the optimizer's groups and scalar state, the scheduler's state (when given)
 * and a SHA-256 of every tensor. The bytes are those `tessera train` writes to
 * `checkpoint.safetensors`, in Node or in a browser.
 *
 * @example
 * ```ts
 * import { checkpointToBytes, checkpointFromBytes, Linear } from "@tessera/nn";
 * import { SGD } from "@tessera/optim";
 * const model = new Linear(2, 1);
 * const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const bytes = await checkpointToBytes({ model, optimizer, state: { epoch: 3 } });
 * const again = new Linear(2, 1);
 * const state = await checkpointFromBytes(bytes, { model: again, optimizer: new SGD(again.parameters(), { lr: 0.1, momentum: 0.9 }) });
 * state.epoch; // → 3
 * ```
 */
export async function checkpointToBytes<S extends object>(c: CheckpointContents<S>): Promise<Uint8Array> {
  const fn = "checkpointToBytes";
  if (typeof c !== "object" || c === null) throw new TypeError(`${fn}: expected { model, optimizer, scheduler?, state }, got ${String(c)}`);
  for (const k of Object.keys(c)) if (!["model", "optimizer", "scheduler", "state"].includes(k)) throw new TypeError(`${fn}: unknown field '${k}' (expected model, optimizer, scheduler, state)`);
  const { model, optimizer, scheduler, state } = c;
  if (!isPlainObject(state)) throw new TypeError(`${fn}: state must be a plain object of JSON values, got ${state === null ? "null" : Array.isArray(state) ? "an array" : typeof state}`);
  const tensors = new Map<string, SafeTensor>();
  for (const [k, t] of model.stateDict()) {
    const data = await t.data();
    tensors.set(`model.${k}`, { dtype: t.dtype === "int32" ? "I64" : "F32", shape: t.shape, data: t.dtype === "int32" ? Int32Array.from(data) : Float32Array.from(data) });
  }
  const sd = await optimizer.stateDict();
  const optState: Record<string, Record<string, number | string>> = {};
  for (const [i, s] of Object.entries(sd.state)) {
    optState[i] = {};
    for (const [k, v] of Object.entries(s)) {
      if (typeof v === "number") optState[i][k] = v;
      else {
        const name = `optimizer.${i}.${k}`;
        tensors.set(name, { dtype: "F32", shape: [v.length], data: Float32Array.from(v) });
        optState[i][k] = name;
      }
    }
  }
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    run: JSON.stringify({ ...state, dropout: dropoutCounters(model) }),
    optimizer: JSON.stringify({ paramGroups: sd.paramGroups, state: optState }),
  };
  if (scheduler !== undefined) metadata.scheduler = JSON.stringify(scheduler.stateDict());
  metadata.sha256 = digest(tensors);
  return encodeSafetensors(tensors, metadata);
}

/**
 * Reads and verifies checkpoint bytes without loading them: the safetensors structure (every
 * check of `readSafetensorsHeader`), the format, the SHA-256 of every tensor, the metadata's JSON
 * and that every optimizer tensor it names is there. Throws a {@link CheckpointError} naming what
 * is wrong. `load()` then checks the contents against the model, optimizer and scheduler.
 *
 * @example
 * ```ts
 * import { checkpointToBytes, decodeCheckpoint, Linear } from "@tessera/nn";
 * import { SGD } from "@tessera/optim";
 * const model = new Linear(2, 1), optimizer = new SGD(model.parameters(), { lr: 0.1 });
 * const saved = decodeCheckpoint(await checkpointToBytes({ model, optimizer, state: { epoch: 1 } }));
 * await saved.load({ model, optimizer });
 * ```
 */
export function decodeCheckpoint<S extends object = Record<string, unknown>>(bytes: Uint8Array): DecodedCheckpoint<S> {
  const fn = "decodeCheckpoint";
  const damaged = (why: string): never => {
    throw new CheckpointError(fn, why);
  };
  let file: ReturnType<typeof decodeSafetensors> | undefined;
  try {
    file = decodeSafetensors(bytes);
  } catch (e) {
    damaged((e as Error).message);
  }
  const { tensors, metadata } = file!;
  if (metadata.format !== CHECKPOINT_FORMAT) damaged(`format ${JSON.stringify(metadata.format)}, expected ${CHECKPOINT_FORMAT}`);
  if (metadata.sha256 !== digest(tensors)) damaged("the SHA-256 of its tensors does not match");
  let state: CheckpointState<S> | undefined;
  let saved: { paramGroups: OptimizerStateDict["paramGroups"]; state: Record<string, Record<string, number | string>> } | undefined;
  let schedulerState: SchedulerStateDict | undefined;
  try {
    state = JSON.parse(metadata.run);
    saved = JSON.parse(metadata.optimizer);
    if (metadata.scheduler !== undefined) schedulerState = JSON.parse(metadata.scheduler);
  } catch (e) {
    damaged((e as Error).message);
  }
  if (!isPlainObject(state)) damaged("its run state is not an object");
  if (!isPlainObject(saved) || !Array.isArray(saved.paramGroups) || !isPlainObject(saved.state)) damaged("its optimizer state is not { paramGroups, state }");
  const weights = new Map([...tensors].filter(([k]) => k.startsWith("model.")).map(([k, t]) => [k.slice(6), t]));
  const optState: Record<number, Record<string, number | number[]>> = {};
  for (const [i, s] of Object.entries(saved!.state)) {
    if (!isPlainObject(s)) damaged(`optimizer state of parameter ${i} is not an object`);
    optState[Number(i)] = Object.fromEntries(Object.entries(s).map(([k, v]) => {
      if (typeof v === "number") return [k, v];
      const t = typeof v === "string" ? tensors.get(v) : undefined;
      if (!t) damaged(`optimizer tensor '${String(v)}' is missing`);
      return [k, [...t!.data]];
    }));
  }
  const counters = state!.dropout;
  return {
    state: state!,
    hasScheduler: schedulerState !== undefined,
    async load({ model, optimizer, scheduler }: CheckpointTargets): Promise<void> {
      const where = "loading the checkpoint";
      // Everything that can be checked without writing is checked first.
      const layers = dropouts(model);
      for (const [k] of layers) {
        if (!Number.isInteger(counters?.[k])) throw new CheckpointError(fn, `no counter for the Dropout layer '${k}'`);
      }
      if (schedulerState !== undefined && scheduler === undefined) throw new Error(`${where}: it holds the state of a ${schedulerState.scheduler} scheduler; pass { scheduler } to restore it (or it would be lost)`);
      if (schedulerState === undefined && scheduler !== undefined) throw new Error(`${where}: it holds no scheduler state, but a scheduler was passed (a checkpoint saved without one)`);
      const modelBefore = new Map<string, { shape: readonly number[]; data: Float32Array | Int32Array }>();
      for (const [k, t] of model.stateDict()) modelBefore.set(k, { shape: t.shape, data: await t.data() });
      const optBefore = await optimizer.stateDict();
      await model.loadStateDict(weights);
      try {
        optimizer.loadStateDict({ paramGroups: saved!.paramGroups, state: optState });
        if (schedulerState !== undefined) scheduler!.loadStateDict(schedulerState);
      } catch (e) {
        await model.loadStateDict(modelBefore);
        optimizer.loadStateDict(optBefore);
        throw e;
      }
      for (const [k, m] of layers) m.counter = counters[k];
    },
  };
}

/**
 * Verifies checkpoint bytes and loads them into the model, optimizer and scheduler (see
 * {@link decodeCheckpoint} and {@link DecodedCheckpoint.load}); returns the run state.
 *
 * @example
 * ```ts
 * import { checkpointToBytes, checkpointFromBytes, Linear } from "@tessera/nn";
 * import { Adam } from "@tessera/optim";
 * const model = new Linear(2, 1), optimizer = new Adam(model.parameters(), { lr: 1e-3 });
 * const bytes = await checkpointToBytes({ model, optimizer, state: { epoch: 2, batch: 0 } });
 * (await checkpointFromBytes(bytes, { model, optimizer })).epoch; // → 2
 * ```
 */
export async function checkpointFromBytes<S extends object = Record<string, unknown>>(bytes: Uint8Array, targets: CheckpointTargets): Promise<CheckpointState<S>> {
  const c = decodeCheckpoint<S>(bytes);
  await c.load(targets);
  return c.state;
}
