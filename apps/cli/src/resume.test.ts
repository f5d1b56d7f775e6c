import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { trainHooks } from "./hooks.js";
import { cli, runOutcome } from "./cli.test-helper.js";

/** Ctrl-C, in-process: the SIGINT listener `train` installs, called as the signal would call it. */
function interruptAfter(epoch: number, batch: number): void {
  trainHooks.batchDone = (e, b) => {
    if (e === epoch && b === batch) process.emit("SIGINT");
  };
}

afterEach(() => {
  delete trainHooks.batchDone;
  delete trainHooks.saving;
});

describe("--resume continues bit for bit (every schedule, both optimizers)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-resume-"));
  // 256 images in batches of 32: 8 batches per epoch; ±2-pixel shifts on, as by default.
  const quick = ["--epochs", "3", "--limit", "256", "--batch-size", "32", "--no-progress"];

  for (const schedule of ["cosine", "constant"]) {
    for (const optimizer of ["adam", "sgd"]) {
      it(`${schedule} schedule, ${optimizer}: interrupted mid-epoch or before the evaluation, then resumed, equals an uninterrupted run`, async () => {
        const flags = [...quick, "--schedule", schedule, "--optimizer", optimizer];
        const straight = join(dir, `${schedule}-${optimizer}-straight`);
        expect((await cli(["train", ...flags, "--out", straight])).code).toBe(0);

        for (const [epoch, batch] of [[1, 3], [0, 8]]) {
          const out = join(dir, `${schedule}-${optimizer}-${epoch}-${batch}`);
          interruptAfter(epoch, batch);
          const first = await cli(["train", ...flags, "--out", out]);
          delete trainHooks.batchDone;
          expect(first.code, first.err).toBe(0);
          expect(first.out).toContain(`at epoch ${epoch + 1}, batch ${batch}; continue with --resume`);
          // Only --resume and --out: the run's own options come from its checkpoint.
          const second = await cli(["train", "--resume", "--out", out, "--no-progress"]);
          expect(second.code, second.err).toBe(0);
          expect(second.out).toContain(`resuming ${out} at epoch ${epoch + 1}, batch ${batch}`);
          expect(runOutcome(out)).toEqual(runOutcome(straight));
        }
      });
    }
  }

  it("a model with Dropout resumes bit for bit mid-epoch (its mask stream continues where it stopped)", async () => {
    const flags = ["--model", "kerasMnistConvnet", "--epochs", "2", "--limit", "64", "--batch-size", "32", "--no-progress"];
    const straight = join(dir, "dropout-straight");
    expect((await cli(["train", ...flags, "--out", straight])).code).toBe(0);
    const out = join(dir, "dropout-resumed");
    interruptAfter(1, 1);
    expect((await cli(["train", ...flags, "--out", out])).code).toBe(0);
    delete trainHooks.batchDone;
    expect((await cli(["train", "--resume", "--out", out, "--no-progress"])).code).toBe(0);
    expect(runOutcome(out)).toEqual(runOutcome(straight));
  });

  it("a resumed run refuses options that would change its numbers", async () => {
    const out = join(dir, "refuse");
    interruptAfter(0, 2);
    expect((await cli(["train", ...quick, "--out", out])).code).toBe(0);
    delete trainHooks.batchDone;
    const lr = await cli(["train", "--resume", "--out", out, "--lr", "0.1"]);
    expect(lr.code).toBe(2);
    expect(lr.err).toBe("tessera train: --resume: --lr 0.1 differs from the run's default; a resumed run keeps its options (start a new run with another --out to change them)");
    const epochs = await cli(["train", "--resume", "--out", out, "--epochs", "5"]);
    expect(epochs.err).toContain("--epochs 5 differs from the run's 3, and the cosine schedule spans all epochs");
    const model = await cli(["train", "--resume", "--out", out, "--model", "mnistMlp"]);
    expect(model.err).toBe(`tessera train: --resume: ${out} holds a lenet5 run, not mnistMlp`);
    // Naming the run's own values is fine.
    expect((await cli(["train", "--resume", "--out", out, "--epochs", "3", "--limit", "256", "--batch-size", "32", "--no-progress"])).code).toBe(0);
  });
});
