import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PNG } from "pngjs";
import { readCheckpoint } from "./checkpoint.js";
import { trainHooks } from "./hooks.js";
import { cli } from "./cli.test-helper.js";

/**
 * `n` records in the CIFAR binary format: `labelBytes` label bytes (CIFAR-100: coarse, fine) and
 * 3072 pixel bytes (R, G, B planes of 32×32). Each class has its own tint plus seeded noise.
 */
function records(n: number, classes: number, labelBytes: 1 | 2, seed: number): Uint8Array {
  const size = labelBytes + 3072;
  const out = new Uint8Array(n * size);
  let s = seed >>> 0 || 1;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    const label = i % classes;
    const r = out.subarray(i * size, (i + 1) * size);
    if (labelBytes === 2) r[0] = label % 20;
    r[labelBytes - 1] = label;
    for (let c = 0; c < 3; c++) {
      const tint = (((label * (c + 3)) % classes) / classes) * 160;
      for (let p = 0; p < 1024; p++) r[labelBytes + c * 1024 + p] = Math.min(255, Math.floor(tint + 96 * next()));
    }
  }
  return out;
}

describe("tessera train / eval / predict on CIFAR (a synthetic folder in the real binary format)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-cifar-"));
  // CIFAR-10 as extracted: cifar-10-batches-bin/ with data_batch_1..5.bin (20 images each) and test_batch.bin (40).
  const cifar10 = join(dir, "c10");
  mkdirSync(join(cifar10, "cifar-10-batches-bin"), { recursive: true });
  for (let k = 1; k <= 5; k++) writeFileSync(join(cifar10, "cifar-10-batches-bin", `data_batch_${k}.bin`), records(20, 10, 1, k));
  writeFileSync(join(cifar10, "cifar-10-batches-bin", "test_batch.bin"), records(40, 10, 1, 99));
  // CIFAR-100: cifar-100-binary/ with train.bin (100 images) and test.bin (40).
  const cifar100 = join(dir, "c100");
  mkdirSync(join(cifar100, "cifar-100-binary"), { recursive: true });
  writeFileSync(join(cifar100, "cifar-100-binary", "train.bin"), records(100, 100, 2, 7));
  writeFileSync(join(cifar100, "cifar-100-binary", "test.bin"), records(40, 100, 2, 8));

  const quick = ["--epochs", "1", "--batch-size", "50", "--no-progress"];

  it("trains resnet20 on CIFAR-10 (crop 4 + flips by default); eval reads the data set from the weights; predict refuses it", async () => {
    const out = join(dir, "run10");
    const r = await cli(["train", "--model", "resnet20", "--data", "cifar10", "--data-dir", cifar10, ...quick, "--out", out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("resnet20: 269,722 parameters; 100 training and 40 test images");
    const [m] = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")) as Record<string, number>[];
    expect(Number.isFinite(m.loss) && Number.isFinite(m.val_loss), JSON.stringify(m)).toBe(true);
    expect(m.val_accuracy).toBeGreaterThanOrEqual(0);
    for (const f of ["checkpoint.safetensors", "last.safetensors", "best.safetensors", "metrics.csv", "curves.svg"]) expect(existsSync(join(out, f)), f).toBe(true);
    const { state } = await readCheckpoint<{ model: string; data: string; shift: number; flip: boolean }>(out);
    expect(state.options).toMatchObject({ model: "resnet20", data: "cifar10", shift: 4, flip: true });

    const ev = await cli(["eval", "--weights", join(out, "best.safetensors"), "--data-dir", cifar10]);
    expect(ev.code, ev.err).toBe(0);
    expect(ev.out).toMatch(/^resnet20 \(.*\) on 40 test images: loss [\d.]+, accuracy [\d.]+%$/);
    expect(ev.out.split(": ")[1]).toBe(`loss ${m.val_loss.toFixed(4)}, accuracy ${(100 * m.val_accuracy).toFixed(2)}%`);
    const wrong = await cli(["eval", "--weights", join(out, "best.safetensors"), "--data", "cifar100", "--data-dir", cifar100]);
    expect([wrong.code, wrong.err]).toEqual([2, `tessera eval: --weights ${join(out, "best.safetensors")} was trained on cifar10, not cifar100 (leave out --data to use cifar10)`]);
    const noDir = await cli(["eval", "--weights", join(out, "best.safetensors")]);
    expect(noDir.err).toMatch(/^tessera eval: --data cifar10 needs --data-dir DIR \(the extracted cifar-10-binary\.tar\.gz/);

    const png = new PNG({ width: 32, height: 32 });
    const image = join(dir, "cat.png");
    writeFileSync(image, PNG.sync.write(png));
    const pr = await cli(["predict", "--weights", join(out, "best.safetensors"), image]);
    expect([pr.code, pr.err]).toEqual([2, "tessera predict: predict classifies 28×28 grey digits (MNIST models) and ImageNet images (alexnet, vgg*, resnet18–152, googlenet, inceptionV3); resnet20 trained on cifar10 takes [3, 32, 32] inputs"]);
  });

  it("--no-flip is honoured (other weights than with flips)", async () => {
    const base = ["train", "--model", "resnet20", "--data", "cifar10", "--data-dir", cifar10, "--epochs", "1", "--batch-size", "10", "--no-progress", "--limit", "20", "--no-tensorboard"];
    expect((await cli([...base, "--out", join(dir, "flip")])).code).toBe(0);
    expect((await cli([...base, "--no-flip", "--out", join(dir, "noflip")])).code).toBe(0);
    const last = (d: string) => readFileSync(join(dir, d, "last.safetensors"));
    expect(Buffer.compare(last("flip"), last("noflip"))).not.toBe(0);
    const { state } = await readCheckpoint<{ model: string; flip: boolean }>(join(dir, "noflip"));
    expect(state.options.flip).toBe(false);
  });

  it("a CIFAR run (BatchNorm statistics, crops and flips) interrupted mid-epoch resumes bit for bit", async () => {
    const flags = ["train", "--model", "resnet20", "--data", "cifar10", "--data-dir", cifar10, "--epochs", "2", "--batch-size", "10", "--limit", "30", "--no-progress"];
    const straight = join(dir, "straight10");
    expect((await cli([...flags, "--out", straight])).code).toBe(0);
    const out = join(dir, "resumed10");
    trainHooks.batchDone = (e, b) => void (e === 1 && b === 1 && process.emit("SIGINT"));
    try {
      const first = await cli([...flags, "--out", out]);
      expect(first.out).toContain("at epoch 2, batch 1; continue with --resume");
    } finally {
      delete trainHooks.batchDone;
    }
    const noFlip = await cli(["train", "--resume", "--out", out, "--no-flip"]);
    expect([noFlip.code, noFlip.err]).toEqual([2, "tessera train: --resume: --no-flip differs from the run's random flips; a resumed run keeps its options (start a new run with another --out to change them)"]);
    const second = await cli(["train", "--resume", "--out", out, "--no-progress"]);
    expect(second.code, second.err).toBe(0);
    for (const f of ["last.safetensors", "best.safetensors"]) expect(Buffer.compare(readFileSync(join(out, f)), readFileSync(join(straight, f))), f).toBe(0);
  });

  it("trains resnet20 with 100 classes on CIFAR-100, and eval evaluates it", async () => {
    const out = join(dir, "run100");
    const r = await cli(["train", "--model", "resnet20", "--data", "cifar100", "--data-dir", cifar100, ...quick, "--limit", "40", "--out", out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("40 training and 40 test images");
    const [m] = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")) as Record<string, number>[];
    expect(Number.isFinite(m.loss)).toBe(true);
    const ev = await cli(["eval", "--weights", join(out, "last.safetensors"), "--data-dir", cifar100]);
    expect(ev.code, ev.err).toBe(0);
    expect(ev.out).toMatch(/^resnet20 \(.*\) on 40 test images/);
  });

  it("a model that does not take the data set's images is one line and exit 2, before any folder is made", async () => {
    const out = join(dir, "never");
    const lenet = await cli(["train", "--model", "lenet5", "--data", "cifar10", "--data-dir", cifar10, "--out", out]);
    expect([lenet.code, lenet.err]).toEqual([2, "tessera train: --model lenet5 takes [1, 28, 28] inputs, --data cifar10 has [3, 32, 32] images (models for cifar10: resnet20, resnet32, resnet44, resnet56, resnet110)"]);
    const resnet = await cli(["train", "--model", "resnet20", "--out", out]);
    expect([resnet.code, resnet.err]).toEqual([2, "tessera train: --model resnet20 takes [3, 32, 32] inputs, --data mnist has [1, 28, 28] images (models for mnist: lenet5, mnistMlp, mnistCodelabCnn, kerasMnistConvnet)"]);
    expect(existsSync(out)).toBe(false);
    const noDir = await cli(["train", "--model", "resnet20", "--data", "cifar100", "--out", out]);
    expect(noDir.err).toBe("tessera train: --data cifar100 needs --data-dir DIR (the extracted cifar-100-binary.tar.gz: cifar-100-binary/ or the folder holding it; it is not bundled)");
    const unknown = await cli(["train", "--data", "cifar11"]);
    expect(unknown.err).toBe("tessera train: --data must be 'mnist' or 'cifar10' or 'cifar100', got 'cifar11'");
  });
});
