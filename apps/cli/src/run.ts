import { parseArgs } from "node:util";
import { demo } from "./demo.js";
import { train, type TrainOptions } from "./commands/train.js";
import { benchCommand } from "./commands/bench.js";
import { evalCommand } from "./commands/evaluate.js";
import { predictCommand } from "./commands/predict.js";
import { summaryCommand } from "./commands/summary.js";
import { disposeDevices } from "./devices.js";
import { CliError } from "./zoo.js";

const USAGE = `usage: tessera <command> [options]

commands:
  train     train a model (default: LeNet-5 on the bundled MNIST digits)
              --model lenet5 --data mnist [--data-dir DIR] --epochs 20 --batch-size 64
              --optimizer adam|sgd --lr LR --device wasm|js|webgpu --seed 0
              --threads N (wasm; default: every core; results are identical for any N)
              --out runs/NAME [--resume] [--no-progress] [--limit N training images]
              --schedule cosine|constant --shift 2 (random shifts in pixels; 0 = off)
  eval      test accuracy of saved weights: --model lenet5 --weights FILE [--data-dir DIR]
  predict   classify PNG digits: --model lenet5 --weights FILE image.png…
  summary   the layer table of a model: --model alexnet2012
  bench     LeNet-5 training images/s on a device: --device js|wasm|webgpu --batch-size 64 (full suite: pnpm bench train)
  demo      the course's im2col example and sgemm speed on this machine
  help      this text`;

const OPTIONS = {
  model: { type: "string", default: "lenet5" },
  data: { type: "string", default: "mnist" },
  "data-dir": { type: "string" },
  epochs: { type: "string", default: "20" },
  "batch-size": { type: "string", default: "64" },
  optimizer: { type: "string", default: "adam" },
  lr: { type: "string" },
  device: { type: "string", default: "wasm" },
  threads: { type: "string" },
  seed: { type: "string", default: "0" },
  out: { type: "string" },
  resume: { type: "boolean", default: false },
  "no-progress": { type: "boolean", default: false },
  weights: { type: "string" },
  limit: { type: "string" },
  schedule: { type: "string", default: "cosine" },
  shift: { type: "string", default: "2" },
} as const;

function int(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be an integer >= ${min}, got '${v}'`);
  return n;
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new CliError(`--${name} must be a positive number, got '${v}'`);
  return n;
}

function schedule(v: string): "cosine" | "constant" {
  if (v !== "cosine" && v !== "constant") throw new CliError(`--schedule must be 'cosine' or 'constant', got '${v}'`);
  return v;
}

/** Runs the CLI with `args`; returns the exit code. */
export async function run(args: readonly string[], log: (line: string) => void, err: (line: string) => void): Promise<number> {
  const [command = "help", ...rest] = args;
  try {
    const { values: v, positionals } = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: true, strict: true });
    switch (command) {
      case "train": {
        // (devices are released in the finally below)
        const o: TrainOptions = {
          model: v.model, data: v.data, dataDir: v["data-dir"], epochs: int("epochs", v.epochs, 0)!, batchSize: int("batch-size", v["batch-size"], 1)!,
          optimizer: v.optimizer as TrainOptions["optimizer"], lr: num("lr", v.lr), device: v.device, threads: int("threads", v.threads, 1),
          seed: int("seed", v.seed, 0)!, out: v.out ?? `runs/${v.model}-seed${v.seed}`, resume: v.resume,
          progress: !v["no-progress"] && Boolean(process.stderr.isTTY), limit: int("limit", v.limit, 1),
          schedule: schedule(v.schedule), shift: int("shift", v.shift, 0)!,
        };
        await train(o, log);
        return 0;
      }
      case "eval":
        if (!v.weights) throw new CliError("eval: --weights FILE is required");
        await evalCommand({ model: v.model, weights: v.weights, dataDir: v["data-dir"], device: v.device, threads: int("threads", v.threads, 1) }, log);
        return 0;
      case "predict":
        if (!v.weights) throw new CliError("predict: --weights FILE is required");
        await predictCommand({ model: v.model, weights: v.weights, images: positionals }, log);
        return 0;
      case "bench":
        await benchCommand({ device: v.device, threads: int("threads", v.threads, 1), batchSize: int("batch-size", v["batch-size"], 1)!, steps: 10 }, log);
        return 0;
      case "summary":
        summaryCommand(v.model, log);
        return 0;
      case "demo":
        demo(log);
        return 0;
      case "help":
      case "--help":
      case "-h":
        log(USAGE);
        return 0;
      default:
        err(`tessera: unknown command '${command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    disposeDevices();
    if (e instanceof CliError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      err(`tessera ${command}: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  } finally {
    disposeDevices();
  }
}
