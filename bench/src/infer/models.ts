/**
 * The models of `pnpm bench infer`, their default batch sizes, and what `--models` / `--batches`
 * choose. One table, so the suite, the README and the PyTorch script agree on names.
 */
import type { Device } from "@tessera/blas";
import type { Module } from "@tessera/nn";
import { alexnet, googlenet, resnet18, resnet50, vgg16 } from "@tessera/models";
import type { BenchArgs } from "../harness.js";

/** One benchmarked model. */
export interface InferModel {
  /** The `--models` key, and torchvision's function name. */
  readonly key: string;
  readonly title: string;
  /** Built with seed 0 (the same weights on every device). */
  readonly make: (device: Device) => Module;
  /** Batch sizes run when `--batches` is not given. */
  readonly batches: readonly number[];
}

/** Every model the suite knows, in the order they run. */
export const MODELS: readonly InferModel[] = [
  { key: "resnet18", title: "ResNet-18", make: (device) => resnet18({ seed: 0, device }), batches: [1, 16] },
  { key: "resnet50", title: "ResNet-50", make: (device) => resnet50({ seed: 0, device }), batches: [1] },
  { key: "vgg16", title: "VGG-16", make: (device) => vgg16({ seed: 0, device }), batches: [1] },
  { key: "alexnet", title: "AlexNet", make: (device) => alexnet({ seed: 0, device }), batches: [1] },
  { key: "googlenet", title: "GoogLeNet", make: (device) => googlenet({ seed: 0, device, auxLogits: false }), batches: [1] },
];

function positiveInts(flag: string, v: string): number[] {
  const out = v.split(",").map((s) => Number(s.trim()));
  if (out.length === 0 || out.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`bench infer: --${flag} must be a comma-separated list of positive integers, got '${v}'`);
  return out;
}

/** The models and batch sizes a run covers (`--models a,b`, `--batches 1,16`, `--size 224`). */
export function selectModels(args: BenchArgs): { models: { model: InferModel; batches: number[] }[]; size: number } {
  const keys = (args.flags.models ?? MODELS.map((m) => m.key).join(",")).split(",").map((s) => s.trim());
  const unknown = keys.filter((k) => !MODELS.some((m) => m.key === k));
  if (unknown.length) throw new Error(`bench infer: unknown model(s) ${unknown.join(", ")}; --models takes ${MODELS.map((m) => m.key).join(", ")}`);
  const batches = args.flags.batches ? positiveInts("batches", args.flags.batches) : undefined;
  const size = args.flags.size ? positiveInts("size", args.flags.size)[0] : 224;
  if (size < 64) throw new Error(`bench infer: --size must be at least 64 (AlexNet and GoogLeNet shrink the image 32×), got ${size}`);
  return { models: MODELS.filter((m) => keys.includes(m.key)).map((model) => ({ model, batches: batches ?? [...model.batches] })), size };
}
