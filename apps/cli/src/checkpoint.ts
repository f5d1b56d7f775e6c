/**
 * The resumable checkpoint of `tessera train`: ONE file, `checkpoint.safetensors`, holding the
 * weights (`model.*`), the optimizer's tensors (`optimizer.*`) and, in its metadata, the run state
 * (epoch, batch, history, the schedule's base lr, dropout counters) and the optimizer's options, with
 * a SHA-256 of every tensor. It is written to a temporary file and renamed, so a kill leaves either
 * the previous checkpoint or the new one, never weights of one step beside optimizer state of another.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeSafetensors, Dropout, encodeSafetensors, type Module, type SafeTensor } from "@tessera/nn";
import type { Optimizer, OptimizerStateDict } from "@tessera/optim";
import { trainHooks } from "./hooks.js";
import { writeAtomic } from "./run-folder.js";
import { CliError } from "./zoo.js";

/** Name of the checkpoint file inside the run folder. */
export const CHECKPOINT_FILE = "checkpoint.safetensors";
/** The `format` metadata value of a checkpoint. */
const FORMAT = "tessera-train-checkpoint-1";

/** One finished epoch in metrics.json / metrics.csv. */
export interface EpochLog {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
  seconds: number;
  images_per_second: number;
}

/** The run's resumable state (the checkpoint's `run` metadata). */
export interface RunState<O> {
  /** The options the run was started with. */
  options: O;
  /** Next epoch to run (0-based) and the batches of it already done. */
  epoch: number;
  batch: number;
  history: EpochLog[];
  bestValAccuracy: number;
  /** The learning rate the schedule starts from (the optimizer's lr is the decayed one). */
  baseLr: number;
  /** Counters of the Dropout layers' random streams, by module path. */
  dropout: Record<string, number>;
  /** Sums over the batches done of an epoch interrupted in the middle. */
  partial?: EpochSums;
}

/** Sums over the batches of an epoch done so far. */
export interface EpochSums {
  lossSum: number;
  right: number;
  seen: number;
  seconds: number;
}

/** A checkpoint read and verified by {@link readCheckpoint}, not yet loaded. */
export interface Checkpoint<O> {
  /** The run state. */
  readonly state: RunState<O>;
  /** Loads the weights, the optimizer state and the Dropout counters (a clear error when they do not fit). */
  load(model: Module, opt: Optimizer<{ lr: number }>): Promise<void>;
}

/** The Dropout layers of `model` by path (their counters are state that no state dict holds). */
function dropouts(model: Module): [string, { counter: number }][] {
  return model.namedModules().filter(([, m]) => m instanceof Dropout).map(([k, m]) => [k, m as unknown as { counter: number }]);
}

/** The Dropout counters of `model`, for {@link RunState.dropout}. */
export function dropoutCounters(model: Module): Record<string, number> {
  return Object.fromEntries(dropouts(model).map(([k, m]) => [k, m.counter]));
}

function digest(tensors: ReadonlyMap<string, SafeTensor>): string {
  const h = createHash("sha256");
  for (const k of [...tensors.keys()].sort()) {
    const t = tensors.get(k)!;
    h.update(`${k}:${t.data instanceof Int32Array ? "i" : "f"}:${t.shape.join(",")};`);
    h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return h.digest("hex");
}

/** Writes the checkpoint atomically (the commit point of a save). */
export async function saveCheckpoint<O>(dir: string, model: Module, opt: Optimizer<{ lr: number }>, state: RunState<O>): Promise<void> {
  const tensors = new Map<string, SafeTensor>();
  for (const [k, t] of model.stateDict()) {
    const data = await t.data();
    tensors.set(`model.${k}`, { dtype: t.dtype === "int32" ? "I64" : "F32", shape: t.shape, data: t.dtype === "int32" ? Int32Array.from(data) : Float32Array.from(data) });
  }
  const sd = await opt.stateDict();
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
  const metadata = {
    format: FORMAT,
    run: JSON.stringify(state),
    optimizer: JSON.stringify({ paramGroups: sd.paramGroups, state: optState }),
    sha256: digest(tensors),
  };
  await writeAtomic(join(dir, CHECKPOINT_FILE), encodeSafetensors(tensors, metadata), () => trainHooks.saving?.("checkpoint-written"));
}

function damaged(path: string, why: string): never {
  throw new CliError(`--resume: ${path} is damaged or not a tessera checkpoint (${why}); start a new run with another --out`);
}

/**
 * Reads and verifies the checkpoint in `dir`: the format, the SHA-256 of every tensor and the run
 * state must agree, or nothing is resumed (a clear error). `load()` then checks the state dict's keys
 * and shapes and the optimizer's layout against the rebuilt model.
 */
export async function readCheckpoint<O extends { model: string }>(dir: string): Promise<Checkpoint<O>> {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) {
    const old = existsSync(join(dir, "state.json")) ? " (its state.json, last.safetensors and optimizer.json are from an older tessera, whose checkpoints could mix epochs)" : "";
    throw new CliError(`--resume: no ${CHECKPOINT_FILE} in ${dir}${old}`);
  }
  let file: ReturnType<typeof decodeSafetensors>;
  try {
    file = decodeSafetensors(new Uint8Array(await readFile(path)));
  } catch (e) {
    damaged(path, (e as Error).message);
  }
  const { tensors, metadata } = file;
  if (metadata.format !== FORMAT) damaged(path, `format ${JSON.stringify(metadata.format)}, expected ${FORMAT}`);
  if (metadata.sha256 !== digest(tensors)) damaged(path, "the SHA-256 of its tensors does not match");
  let state: RunState<O>;
  let saved: { paramGroups: OptimizerStateDict["paramGroups"]; state: Record<string, Record<string, number | string>> };
  try {
    state = JSON.parse(metadata.run);
    saved = JSON.parse(metadata.optimizer);
  } catch (e) {
    damaged(path, (e as Error).message);
  }
  if (!Number.isInteger(state.epoch) || !Number.isInteger(state.batch) || !(state.baseLr > 0) || !Array.isArray(state.history) || typeof state.options?.model !== "string") {
    damaged(path, "its run state is incomplete");
  }
  if (state.history.length !== state.epoch) damaged(path, `its history has ${state.history.length} epochs, its position is epoch ${state.epoch}`);
  const weights = new Map([...tensors].filter(([k]) => k.startsWith("model.")).map(([k, t]) => [k.slice(6), t]));
  const optState: OptimizerStateDict["state"] = {};
  for (const [i, s] of Object.entries(saved.state)) {
    optState[Number(i)] = Object.fromEntries(Object.entries(s).map(([k, v]) => {
      if (typeof v === "number") return [k, v];
      const t = tensors.get(v);
      if (!t) damaged(path, `optimizer tensor '${v}' is missing`);
      return [k, [...t.data]];
    }));
  }
  return {
    state,
    async load(model, opt) {
      try {
        await model.loadStateDict(weights);
        opt.loadStateDict({ paramGroups: saved.paramGroups, state: optState });
      } catch (e) {
        throw new CliError(`--resume: ${path} does not fit a fresh ${state.options.model} and its optimizer (${(e as Error).message})`);
      }
      for (const [k, m] of dropouts(model)) {
        const c = state.dropout?.[k];
        if (!Number.isInteger(c)) damaged(path, `no counter for the Dropout layer '${k}'`);
        m.counter = c;
      }
    },
  };
}
