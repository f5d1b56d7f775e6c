import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBundledMnist } from "@tessera/data";
import { PNG } from "pngjs";
import { cli } from "./cli.test-helper.js";

describe("tessera train / eval / predict", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-cli-"));
  const runDir = join(dir, "run");

  it("trains, writes checkpoints, metrics, curves; resume continues; eval and predict use the weights", async () => {
    const quick = ["--limit", "2048", "--shift", "0", "--schedule", "constant", "--no-progress"];
    const first = await cli(["train", "--epochs", "1", ...quick, "--out", runDir]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/epoch 1\/1: loss \d\.\d+, accuracy [\d.]+%, test loss [\d.]+, test accuracy [\d.]+%/);
    for (const f of ["checkpoint.safetensors", "last.safetensors", "best.safetensors", "metrics.json", "metrics.csv", "curves.svg"]) {
      expect(existsSync(join(runDir, f)), f).toBe(true);
    }
    expect(readdirSync(runDir).filter((n) => n.endsWith(".tmp") || n === "train.lock")).toEqual([]);
    const second = await cli(["train", "--epochs", "2", ...quick, "--out", runDir, "--resume"]);
    // Resuming is exact: the same weights, bit for bit, as an uninterrupted two-epoch run.
    const straight = join(dir, "straight");
    await cli(["train", "--epochs", "2", ...quick, "--out", straight]);
    expect(Buffer.compare(readFileSync(join(straight, "last.safetensors")), readFileSync(join(runDir, "last.safetensors")))).toBe(0);
    expect(second.out).toContain("resuming");
    const metrics = JSON.parse(readFileSync(join(runDir, "metrics.json"), "utf8"));
    expect(metrics.map((m: { epoch: number }) => m.epoch)).toEqual([1, 2]);
    expect(metrics[1].val_accuracy).toBeGreaterThan(0.85);
    expect(readFileSync(join(runDir, "metrics.csv"), "utf8").split("\n")[0]).toBe("epoch,loss,accuracy,val_loss,val_accuracy,seconds,images_per_second");
    expect(readFileSync(join(runDir, "curves.svg"), "utf8")).toContain("<polyline");

    const ev = await cli(["eval", "--weights", join(runDir, "best.safetensors")]);
    expect(ev.out).toMatch(/^lenet5 \(.*\) on 2000 test images: loss [\d.]+, accuracy [\d.]+%/);
    // The training checkpoint holds the same weights as last.safetensors, and eval reads either.
    const last = await cli(["eval", "--weights", join(runDir, "last.safetensors")]);
    const ckpt = await cli(["eval", "--weights", join(runDir, "checkpoint.safetensors")]);
    expect(ckpt.code, ckpt.err).toBe(0);
    expect(ckpt.out.replace(/\(.*\)/, "")).toBe(last.out.replace(/\(.*\)/, ""));

    // Two test digits written as PNGs (black on white, 56×56, as a user would draw them).
    const { test } = await loadBundledMnist({ seed: 0 });
    const paths: string[] = [];
    const labels: number[] = [];
    for (const k of [0, 1, 2, 3, 4, 5]) {
      const png = new PNG({ width: 56, height: 56 });
      for (let y = 0; y < 56; y++) for (let x = 0; x < 56; x++) {
        const v = 255 - (test.images[k * 784 + (y >> 1) * 28 + (x >> 1)] as number);
        png.data.set([v, v, v, 255], 4 * (y * 56 + x));
      }
      const p = join(dir, `digit${k}.png`);
      writeFileSync(p, PNG.sync.write(png));
      paths.push(p);
      labels.push(test.labels[k]);
    }
    const pr = await cli(["predict", "--weights", join(runDir, "best.safetensors"), ...paths]);
    const predicted = pr.out.split("\n").map((l) => Number(l.split(": ")[1][0]));
    expect(predicted.filter((p, i) => p === labels[i]).length).toBeGreaterThanOrEqual(5);
  });

  it("bench measures training throughput", async () => {
    const b = await cli(["bench", "--batch-size", "8"]);
    expect(b.out).toMatch(/LeNet-5 training on 'wasm', batch 8: [\d.]+ ms per step \(median of 10\), \d+ images\/s/);
  });

  it("summary prints the course's AlexNet total, with the model as an option or an argument", async () => {
    expect((await cli(["summary", "--model", "alexnet2012"])).out).toContain("Total params: 62,378,344");
    // The model as the argument (it used to be ignored, printing LeNet-5's table).
    const positional = await cli(["summary", "mnistMlp"]);
    expect(positional.out.split("\n")[0]).toBe("mnistMlp, input [1, 1, 28, 28]");
    const two = await cli(["summary", "lenet5", "--model", "alexnet"]);
    expect([two.code, two.err]).toEqual([2, "tessera summary: two models named: 'lenet5' and --model 'alexnet'"]);
  });
});
