import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadBundledMnist } from "@tessera/data";
import { PNG } from "pngjs";
import { run } from "./run.js";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("tessera train / eval / predict", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-cli-"));
  const runDir = join(dir, "run");

  it("trains, writes checkpoints, metrics, curves; resume continues; eval and predict use the weights", async () => {
    const quick = ["--limit", "2048", "--shift", "0", "--schedule", "constant", "--no-progress"];
    const first = await cli(["train", "--epochs", "1", ...quick, "--out", runDir]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/epoch 1\/1: loss \d\.\d+, accuracy [\d.]+%, test loss [\d.]+, test accuracy [\d.]+%/);
    for (const f of ["last.safetensors", "best.safetensors", "optimizer.json", "state.json", "metrics.json", "metrics.csv", "curves.svg"]) {
      expect(existsSync(join(runDir, f)), f).toBe(true);
    }
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
    expect(ev.out).toMatch(/on 2000 test images: loss [\d.]+, accuracy [\d.]+%/);

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
  }, 120_000);

  it("Ctrl-C leaves a valid checkpoint that --resume continues", async () => {
    const out = join(dir, "interrupted");
    const child = spawn(process.execPath, [MAIN, "train", "--epochs", "3", "--limit", "2048", "--out", out, "--no-progress"], { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        text += d;
        if (text.includes("epoch 1/3")) {
          setTimeout(() => child.kill("SIGINT"), 300);
        }
      });
      child.on("exit", () => resolve());
      child.on("error", reject);
    });
    expect(text).toContain("interrupted");
    const saved = /saved .*last\.safetensors at epoch (\d+), batch (\d+); continue with --resume/.exec(text);
    expect(saved, text).not.toBeNull();
    const state = JSON.parse(readFileSync(join(out, "state.json"), "utf8"));
    expect([state.epoch + 1, state.batch]).toEqual([Number(saved![1]), Number(saved![2])]);
    const resumed = await cli(["train", "--epochs", "3", "--limit", "2048", "--out", out, "--no-progress", "--resume"]);
    expect(resumed.out).toContain(`resuming ${out} at epoch ${saved![1]}, batch ${saved![2]}`);
    expect(JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")).map((m: { epoch: number }) => m.epoch)).toEqual([1, 2, 3]);
  }, 120_000);

  it("bench measures training throughput", async () => {
    const b = await cli(["bench", "--batch-size", "8"]);
    expect(b.out).toMatch(/LeNet-5 training on 'wasm', batch 8: [\d.]+ ms per step \(median of 10\), \d+ images\/s/);
  }, 60_000);

  it("summary prints the course's AlexNet total; bad flags fail with a message", async () => {
    const s = await cli(["summary", "--model", "alexnet2012"]);
    expect(s.out).toContain("Total params: 62,378,344");
    expect((await cli(["train", "--epochs=-1"])).err).toContain("tessera train: --epochs must be an integer >= 0, got '-1'");
    expect((await cli(["train", "--model", "nope"])).err).toContain("unknown model 'nope'");
    expect((await cli(["train", "--bogus"])).code).toBe(2);
  }, 60_000);
});
