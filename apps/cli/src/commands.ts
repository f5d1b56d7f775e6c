/**
 * The commands of `tessera`, their options and their help texts. Each command accepts only its own
 * options, so a typo or an option of another command is an error with a suggestion.
 */

/** One option: its type, its help line, and its default (applied after parsing). */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly help: string;
  readonly default?: string;
}

/** One command: a one-line summary, what it takes as positional arguments, and its options. */
export interface CommandSpec {
  readonly summary: string;
  /** Positional arguments: a usage word (e.g. `IMAGE.png…`), or none. */
  readonly positionals?: { readonly usage: string; readonly max: number };
  readonly options: Readonly<Record<string, OptionSpec>>;
}

const help: OptionSpec = { type: "boolean", short: "h", help: "print this help" };
const device: OptionSpec = { type: "string", help: "js | wasm | webgpu", default: "wasm" };
const threads: OptionSpec = { type: "string", help: "worker threads of the wasm device (default: every core; results are identical for any N)" };
const model: OptionSpec = { type: "string", help: "a model name (tessera summary --help lists them)" };

/** Every command. */
export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  train: {
    summary: "train a model (default: LeNet-5 on the bundled MNIST digits)",
    options: {
      model: { ...model, default: "lenet5" },
      data: { type: "string", help: "data set: mnist | cifar10 | cifar100", default: "mnist" },
      "data-dir": { type: "string", help: "mnist: folder with the four IDX files (plain or .gz; default: the bundled 10,000 digits); cifar10/cifar100: the extracted binary version (required)" },
      epochs: { type: "string", help: "number of epochs (>= 1)", default: "20" },
      "batch-size": { type: "string", help: "images per batch", default: "64" },
      optimizer: { type: "string", help: "adam | sgd", default: "adam" },
      lr: { type: "string", help: "learning rate (default: 2e-3 for adam, 0.05 for sgd)" },
      schedule: { type: "string", help: "cosine | constant (the learning rate over all batches)", default: "cosine" },
      shift: { type: "string", help: "random shifts of up to N pixels (0 = off; default: 2 for mnist, 4 for cifar)" },
      "no-flip": { type: "boolean", help: "no random horizontal flips (on for cifar, never for mnist)" },
      device, threads,
      seed: { type: "string", help: "seed of the initialisation, shuffling and augmentation", default: "0" },
      out: { type: "string", help: "run folder (default: runs/MODEL-seedSEED)" },
      resume: { type: "boolean", help: "continue the run in --out from its checkpoint (with its saved options)" },
      limit: { type: "string", help: "train on the first N training images only" },
      "no-progress": { type: "boolean", help: "no progress bar" },
      "no-tensorboard": { type: "boolean", help: "no TensorBoard event files in the run folder" },
      help,
    },
  },
  eval: {
    summary: "test loss and accuracy of saved weights",
    options: {
      weights: { type: "string", help: "a .safetensors file (required)" },
      model: { ...model, help: "the model (default: the one named in the file, else lenet5)" },
      data: { type: "string", help: "mnist | cifar10 | cifar100 (default: the one named in the file, else mnist)" },
      "data-dir": { type: "string", help: "the data set's folder (as for train); mnist's default: the bundled test digits" },
      device, threads, help,
    },
  },
  predict: {
    summary: "classify PNG digits (MNIST models) or PNG/JPEG images (ImageNet models: top-5 classes)",
    positionals: { usage: "IMAGE…", max: Infinity },
    options: {
      weights: { type: "string", help: "a .safetensors file, or a PyTorch .pth/.pt state dict with --model (required)" },
      model: { ...model, help: "the model (default: the one named in the file, else lenet5)" },
      device, threads, help,
    },
  },
  convert: {
    summary: "a PyTorch .pth/.pt state dict to .safetensors (read without Python)",
    positionals: { usage: "IN.pth OUT.safetensors", max: 2 },
    options: {
      key: { type: "string", help: "read the state dict stored under this key of a training checkpoint (e.g. state_dict, model)" },
      help,
    },
  },
  summary: {
    summary: "the layer table of a model (output shapes, parameters, MACs)",
    positionals: { usage: "[MODEL]", max: 1 },
    options: { model: { ...model, help: "the model (or give it as the argument)" }, help },
  },
  bench: {
    summary: "LeNet-5 training images/s on a device (full suite: pnpm bench train)",
    options: { device, threads, "batch-size": { type: "string", help: "images per batch", default: "64" }, help },
  },
  demo: {
    summary: "the course's im2col example and sgemm speed on this machine",
    options: { device: { ...device, default: "js" }, threads, help },
  },
};

/** The help of one command. */
export function commandHelp(name: string, models: readonly string[]): string {
  const c = COMMANDS[name];
  const lines = [`usage: tessera ${name} [options]${c.positionals ? ` ${c.positionals.usage}` : ""}`, "", c.summary, "", "options:"];
  for (const [k, o] of Object.entries(c.options)) {
    const left = `  ${o.short ? `-${o.short}, ` : ""}--${k}${o.type === "string" ? " VALUE" : ""}`;
    lines.push(`${left.padEnd(22)} ${o.help}${o.default !== undefined ? ` (default: ${o.default})` : ""}`);
  }
  if (c.options.model) lines.push("", `models: ${models.join(", ")}`);
  return lines.join("\n");
}

/** The general help. */
export function usage(): string {
  const lines = ["usage: tessera <command> [options]", "", "commands:"];
  for (const [k, c] of Object.entries(COMMANDS)) lines.push(`  ${k.padEnd(9)} ${c.summary}`);
  lines.push(`  ${"help".padEnd(9)} this text`, "", "tessera <command> --help prints a command's options.");
  return lines.join("\n");
}

/** Edit distance of two short strings, a swap of neighbours counting as one edit (for "did you mean"). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest of `names` to `word`, when it is close enough to be a typo (or a prefix). */
export function closest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = n.startsWith(word) && word.length >= 2 ? 0.5 : distance(word, n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}
