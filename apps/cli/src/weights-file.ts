/**
 * Reading a weights file given on the command line (`eval`, `predict`): missing, unreadable or
 * corrupt files and weights of another model are the user's mistakes, reported in one line.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { decodeSafetensors, type Module } from "@tessera/nn";
import { CliError, zooEntry } from "./zoo.js";

/** Reads a file the user named, with a one-line error naming the flag and the path. */
export async function readUserFile(what: string, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a file" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new CliError(`${what} ${path}: ${why}`);
  }
}

/** Checks that `--data-dir` (when given) is a folder. */
export function checkDataDir(dir: string | undefined): void {
  if (dir === undefined) return;
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new CliError(`--data-dir ${dir}: no such folder`);
  if (!stat.isDirectory()) throw new CliError(`--data-dir ${dir}: not a folder`);
}

/** The model a run folder's files belong to: `state.json` of older runs. */
function modelOfFolder(dir: string): string | undefined {
  const state = join(dir, "state.json");
  if (!existsSync(state)) return undefined;
  try {
    const m = JSON.parse(readFileSync(state, "utf8"))?.options?.model;
    return typeof m === "string" ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds the model for the weights in `path` and loads them. The model is `explicit` (`--model`),
 * else the one the file's metadata names (tessera writes it), else the one in `state.json` beside
 * it, else LeNet-5. A training checkpoint (`checkpoint.safetensors`) works too. `make` gets the
 * model's name and the data set the file says it was trained on (undefined for files of older
 * versions, which trained on MNIST only) and the names of the file's tensors; `data` is returned too.
 */
export async function loadModelFromWeights(path: string, explicit: string | undefined, make: (name: string, data: string | undefined, keys: ReadonlySet<string>) => Module): Promise<{ name: string; model: Module; data: string | undefined }> {
  return loadModelFromBytes(path, await readUserFile("--weights", path), explicit, make);
}

/** {@link loadModelFromWeights} on a weights file already read; `make` also gets the file's tensor names. */
export async function loadModelFromBytes(path: string, bytes: Uint8Array, explicit: string | undefined, make: (name: string, data: string | undefined, keys: ReadonlySet<string>) => Module): Promise<{ name: string; model: Module; data: string | undefined }> {
  let file: ReturnType<typeof decodeSafetensors>;
  try {
    file = decodeSafetensors(bytes);
  } catch (e) {
    throw new CliError(`--weights ${path} is not a valid safetensors file (${(e as Error).message})`);
  }
  let named: string | undefined = file.metadata.model;
  let data: string | undefined = file.metadata.data;
  let tensors = file.tensors;
  if (file.metadata.format?.startsWith("tessera-train-checkpoint")) {
    try {
      const options = JSON.parse(file.metadata.run).options;
      named = options.model;
      data = options.data;
    } catch {
      // no name: fall through to the defaults
    }
    tensors = new Map([...tensors].filter(([k]) => k.startsWith("model.")).map(([k, t]) => [k.slice(6), t]));
  }
  named ??= modelOfFolder(dirname(path));
  const name = explicit ?? named ?? "lenet5";
  if (explicit && named && explicit !== named) throw new CliError(`--weights ${path} holds ${named} weights, not ${explicit} (leave out --model to use ${named})`);
  zooEntry(name);
  const model = make(name, typeof data === "string" ? data : undefined, new Set(tensors.keys()));
  try {
    const own = model.stateDict();
    for (const [k, t] of tensors) {
      const target = own.get(k);
      if (target && (target.dtype === "int32") !== t.data instanceof Int32Array) throw new RangeError(`'${k}' has dtype ${t.dtype}, the model expects ${target.dtype}`);
    }
    await model.loadStateDict(tensors);
  } catch (e) {
    model.dispose();
    let why = (e as Error).message;
    if (why.length > 240) why = `${why.slice(0, 240)}…`;
    throw new CliError(`--weights ${path} does not hold ${name} weights (${why})${explicit ? "" : "; name the model with --model"}`);
  }
  return { name, model, data };
}
