/**
 * The resumable checkpoint of `tessera train`: ONE file, `checkpoint.safetensors` (encoded and
 * verified by @tessera/nn's `checkpointToBytes` / `decodeCheckpoint`), holding the
 * weights (`model.*`), the optimizer's tensors (`optimizer.*`) and, in its metadata, the run state
 * (epoch, batch, history, the schedule's base lr, dropout counters) and the optimizer's options, with
 * a SHA-256 of every tensor. It is written to a temporary file and renamed, so a kill leaves either
 * the previous checkpoint or the new one, never weights of one step beside optimizer state of another.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CheckpointError, checkpointToBytes, decodeCheckpoint, type DecodedCheckpoint, type Module } from "@tessera/nn";
import type { Optimizer } from "@tessera/optim";
import { trainHooks } from "./hooks.js";
import { writeAtomic } from "./run-folder.js";
import { CliError } from "./zoo.js";

export { dropoutCounters } from "@tessera/nn";

/** Name of the checkpoint file inside the run folder. */
export const CHECKPOINT_FILE = "checkpoint.safetensors";

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

/** Writes the checkpoint atomically (the commit point of a save); the bytes come from @tessera/nn's codec. */
export async function saveCheckpoint<O>(dir: string, model: Module, opt: Optimizer<{ lr: number }>, state: RunState<O>): Promise<void> {
  const bytes = await checkpointToBytes({ model, optimizer: opt, state });
  await writeAtomic(join(dir, CHECKPOINT_FILE), bytes, () => trainHooks.saving?.("checkpoint-written"));
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
  let file: DecodedCheckpoint<RunState<O>>;
  try {
    file = decodeCheckpoint<RunState<O>>(new Uint8Array(await readFile(path)));
  } catch (e) {
    damaged(path, e instanceof CheckpointError ? e.reason : (e as Error).message);
  }
  const state = file.state;
  if (!Number.isInteger(state.epoch) || !Number.isInteger(state.batch) || !(state.baseLr > 0) || !Array.isArray(state.history) || typeof state.options?.model !== "string") {
    damaged(path, "its run state is incomplete");
  }
  if (state.history.length !== state.epoch) damaged(path, `its history has ${state.history.length} epochs, its position is epoch ${state.epoch}`);
  return {
    state,
    async load(model, opt) {
      try {
        await file.load({ model, optimizer: opt });
      } catch (e) {
        if (e instanceof CheckpointError) damaged(path, e.reason);
        throw new CliError(`--resume: ${path} does not fit a fresh ${state.options.model} and its optimizer (${(e as Error).message})`);
      }
    },
  };
}
