import { parseArgs } from "node:util";
import { demo } from "./demo.js";
import { train, type TrainOptions } from "./commands/train.js";
import { benchCommand } from "./commands/bench.js";
import { evalCommand } from "./commands/evaluate.js";
import { convertCommand } from "./commands/convert.js";
import { predictCommand } from "./commands/predict.js";
import { summaryCommand } from "./commands/summary.js";
import { closest, commandHelp, COMMANDS, usage } from "./commands.js";
import { DATA_NAMES, dataSpec } from "./datasets.js";
import { disposeDevices, pickDevice } from "./devices.js";
import { CliError, ZOO } from "./zoo.js";

function int(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\s*[+-]?\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min) throw new CliError(`--${name} must be an integer >= ${min}, got '${v}'`);
  return n;
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !(n > 0) || !Number.isFinite(n)) throw new CliError(`--${name} must be a positive number, got '${v}'`);
  return n;
}

function oneOf<T extends string>(name: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new CliError(`--${name} must be ${allowed.map((a) => `'${a}'`).join(" or ")}, got '${v}'`);
  return v as T;
}

/** Parses a command's arguments against its own options: unknown options get a "did you mean". */
function parse(command: string, args: readonly string[]) {
  const spec = COMMANDS[command];
  const options = Object.fromEntries(Object.entries(spec.options).map(([k, o]) => [k, o.short ? { type: o.type, short: o.short } : { type: o.type }]));
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const name = /'(-[^']*)'/.exec((e as Error).message)?.[1] ?? "?";
      const guess = closest(name.replace(/^-+/, "").replace(/=.*$/, ""), Object.keys(spec.options));
      throw new CliError(`unknown option '${name}'${guess ? `; did you mean '--${guess}'?` : ""} (tessera ${command} --help lists the options)`);
    }
    if (code?.startsWith("ERR_PARSE_ARGS")) throw new CliError((e as Error).message.replace(/\s*\n\s*/g, " "));
    throw e;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const given = new Set(Object.keys(values).filter((k) => values[k] !== undefined));
  for (const [k, o] of Object.entries(spec.options)) if (values[k] === undefined && o.default !== undefined) values[k] = o.default;
  const max = spec.positionals?.max ?? 0;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals[max];
    throw new CliError(`unexpected argument '${extra}'${max === 0 ? ` (tessera ${command} takes options only; tessera ${command} --help lists them)` : ""}`);
  }
  const str = (k: string) => values[k] as string | undefined;
  return { str, bool: (k: string) => values[k] === true, given, positionals: parsed.positionals };
}

/** A one-line message: `tessera CMD: message`, without repeating the command's name. */
function oneLine(command: string, e: Error): string {
  let m = e.message.split("\n")[0];
  if (m.startsWith(`${command}: `)) m = m.slice(command.length + 2);
  return `tessera ${command}: ${m}`;
}

/** Whether `e` is a file-system error about a path the user gave (a missing folder, no permission…). */
function isUserFileError(e: unknown): boolean {
  const x = e as NodeJS.ErrnoException;
  return typeof x?.syscall === "string" && typeof x.path === "string" && ["ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "EEXIST", "EROFS", "ENOSPC"].includes(x.code ?? "");
}

/**
 * Runs the CLI with `args`; returns the exit code: 0, or 2 for a user's mistake (one line on
 * `err`). Internal errors are rethrown (a stack trace, exit code 1).
 */
export async function run(args: readonly string[], log: (line: string) => void, err: (line: string) => void): Promise<number> {
  const [command = "help", ...rest] = args;
  try {
    if (command === "help" || command === "--help" || command === "-h") {
      const topic = rest[0];
      if (topic !== undefined && !(topic in COMMANDS)) throw new CliError(`unknown command '${topic}'`);
      log(topic ? commandHelp(topic, Object.keys(ZOO)) : usage());
      return 0;
    }
    if (!Object.hasOwn(COMMANDS, command)) {
      const guess = closest(command, Object.keys(COMMANDS));
      err(`tessera: unknown command '${command}'${guess ? `; did you mean '${guess}'?` : ""}\n\n${usage()}`);
      return 2;
    }
    const a = parse(command, rest);
    if (a.bool("help")) {
      log(commandHelp(command, Object.keys(ZOO)));
      return 0;
    }
    switch (command) {
      case "train": {
        const model = a.str("model")!;
        const seed = int("seed", a.str("seed"), 0)!;
        // Flags named on the command line, as TrainOptions keys (a resumed run checks them against its own).
        const given = new Set([...a.given].map((k) => k.replace(/^no-/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())));
        const data = oneOf("data", a.str("data")!, DATA_NAMES);
        const o: TrainOptions = {
          model, data, dataDir: a.str("data-dir"), epochs: int("epochs", a.str("epochs"), 1)!,
          batchSize: int("batch-size", a.str("batch-size"), 1)!, optimizer: oneOf("optimizer", a.str("optimizer")!, ["adam", "sgd"]),
          lr: num("lr", a.str("lr")), device: oneOf("device", a.str("device")!, ["js", "wasm", "webgpu"]), threads: int("threads", a.str("threads"), 1),
          seed, out: a.str("out") ?? `runs/${model}-seed${seed}`, resume: a.bool("resume"),
          progress: !a.bool("no-progress") && Boolean(process.stderr.isTTY), limit: int("limit", a.str("limit"), 1),
          schedule: oneOf("schedule", a.str("schedule")!, ["cosine", "constant"]), shift: int("shift", a.str("shift"), 0) ?? dataSpec(data).shift,
          flip: dataSpec(data).flip && !a.bool("no-flip"), tensorboard: !a.bool("no-tensorboard"),
        };
        await train(o, log, given);
        return 0;
      }
      case "eval": {
        const weights = a.str("weights");
        if (!weights) throw new CliError("--weights FILE is required");
        const data = a.str("data");
        await evalCommand({ model: a.str("model"), weights, data: data === undefined ? undefined : oneOf("data", data, DATA_NAMES), dataDir: a.str("data-dir"), device: a.str("device")!, threads: int("threads", a.str("threads"), 1) }, log);
        return 0;
      }
      case "predict": {
        const weights = a.str("weights");
        if (!weights) throw new CliError("--weights FILE is required");
        await predictCommand({ model: a.str("model"), weights, images: a.positionals, device: oneOf("device", a.str("device")!, ["js", "wasm", "webgpu"]), threads: int("threads", a.str("threads"), 1) }, log);
        return 0;
      }
      case "convert": {
        const [input, output] = a.positionals;
        if (output === undefined) throw new CliError(`name the input and the output file: tessera convert IN.pth OUT.safetensors${input === undefined ? "" : ` (got only '${input}')`}`);
        await convertCommand({ input, output, key: a.str("key") }, log);
        return 0;
      }
      case "bench":
        await benchCommand({ device: a.str("device")!, threads: int("threads", a.str("threads"), 1), batchSize: int("batch-size", a.str("batch-size"), 1)!, steps: 10 }, log);
        return 0;
      case "summary": {
        const [positional] = a.positionals;
        const flag = a.str("model");
        if (positional !== undefined && flag !== undefined && positional !== flag) throw new CliError(`two models named: '${positional}' and --model '${flag}'`);
        summaryCommand(positional ?? flag ?? "lenet5", log);
        return 0;
      }
      case "demo": {
        const name = a.str("device")!;
        await demo(log, undefined, name === "js" ? undefined : await pickDevice(name, int("threads", a.str("threads"), 1)));
        return 0;
      }
    }
    throw new Error(`run: command '${command}' has no handler`);
  } catch (e) {
    disposeDevices();
    if (e instanceof CliError || isUserFileError(e)) {
      err(oneLine(command, e as Error));
      return 2;
    }
    throw e;
  } finally {
    disposeDevices();
  }
}
