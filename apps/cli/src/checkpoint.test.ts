import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CHECKPOINT_FILE } from "./checkpoint.js";
import { trainHooks, type SaveStage } from "./hooks.js";
import { LOCK_FILE } from "./run-folder.js";
import { cli, runOutcome } from "./cli.test-helper.js";

afterEach(() => {
  delete trainHooks.batchDone;
  delete trainHooks.saving;
});

describe("training checkpoints: one atomic unit, verified on --resume, in a locked run folder", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-ckpt-"));
  const quick = ["--epochs", "2", "--limit", "256", "--batch-size", "32", "--no-progress"];
  const straight = join(dir, "straight");

  const stages: SaveStage[] = ["best", "metrics", "checkpoint-written", "checkpoint-committed", "last"];
  it.each(stages)("a crash at '%s' of the second epoch's save: --resume still gives the uninterrupted run", async (stage) => {
    if (!existsSync(straight)) expect((await cli(["train", ...quick, "--out", straight])).code).toBe(0);
    const out = join(dir, `crash-${stage}`);
    let seen = 0;
    trainHooks.saving = (s) => {
      if (s === stage && ++seen === 2) throw new Error(`simulated crash at ${stage}`);
    };
    await expect(cli(["train", ...quick, "--out", out])).rejects.toThrow(`simulated crash at ${stage}`);
    delete trainHooks.saving;
    const temps = readdirSync(out).filter((n) => n.endsWith(".tmp"));
    expect(temps.length).toBe(stage === "checkpoint-written" ? 1 : 0);
    const resumed = await cli(["train", "--resume", "--out", out, "--no-progress"]);
    expect(resumed.code, resumed.err).toBe(0);
    // Before the rename the committed checkpoint is still epoch 1's; after it, epoch 2's.
    const committed = stage === "checkpoint-committed" || stage === "last";
    expect(resumed.out).toContain(`resuming ${out} at epoch ${committed ? 3 : 2}, batch 0`);
    if (temps.length) expect(resumed.out).toContain(`removed 1 temporary file(s) left in ${out} by an interrupted run`);
    expect(readdirSync(out).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    // A run that has nothing left to train still writes last.safetensors; the rest is as if never killed.
    expect(runOutcome(out)).toEqual(runOutcome(straight));
  });

  it("a damaged or foreign checkpoint is refused with one line, and nothing is trained", async () => {
    const out = join(dir, "damaged");
    trainHooks.batchDone = (e, b) => {
      if (e === 0 && b === 2) process.emit("SIGINT");
    };
    expect((await cli(["train", ...quick, "--out", out])).code).toBe(0);
    delete trainHooks.batchDone;
    const path = join(out, CHECKPOINT_FILE);
    const good = readFileSync(path);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 5] ^= 1;
    writeFileSync(path, flipped);
    const r = await cli(["train", "--resume", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`tessera train: --resume: ${path} is damaged or not a tessera checkpoint (the SHA-256 of its tensors does not match); start a new run with another --out`);
    writeFileSync(path, good.subarray(0, good.length - 100));
    expect((await cli(["train", "--resume", "--out", out])).err).toMatch(/is damaged or not a tessera checkpoint \(safetensors: .*truncated\?\)/);
    const none = await cli(["train", "--resume", "--out", join(dir, "nothing-here")]);
    expect(none.err).toBe(`tessera train: --resume: no ${CHECKPOINT_FILE} in ${join(dir, "nothing-here")}`);
  });

  it("a new run that fails to start (bad data) leaves the folder's checkpoint resumable", async () => {
    const out = join(dir, "keep");
    trainHooks.batchDone = (e, b) => {
      if (e === 0 && b === 3) process.emit("SIGINT");
    };
    expect((await cli(["train", ...quick, "--out", out])).code).toBe(0);
    delete trainHooks.batchDone;
    const before = readFileSync(join(out, CHECKPOINT_FILE));
    const bad = await cli(["train", ...quick, "--out", out, "--data-dir", join(dir, "no-such-data")]);
    expect(bad.code).toBe(2);
    expect(readFileSync(join(out, CHECKPOINT_FILE)).equals(before)).toBe(true);
    expect((await cli(["train", "--resume", "--out", out, "--no-progress"])).out).toContain(`resuming ${out} at epoch 1, batch 3`);
  });

  it("a second training process on the same run folder is refused; a dead process's lock is taken over", async () => {
    const out = join(dir, "locked");
    mkdirSync(out, { recursive: true });
    // The lock of a live process (the test runner's parent).
    writeFileSync(join(out, LOCK_FILE), `${process.ppid}\n`);
    const refused = await cli(["train", ...quick, "--out", out]);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(`tessera train: ${out} is in use by another training process (pid ${process.ppid}); wait for it to finish, or choose another --out`);
    // The lock of a process that has exited.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(join(out, LOCK_FILE), `${dead.stdout}\n`);
    const taken = await cli(["train", ...quick, "--epochs", "1", "--out", out]);
    expect(taken.code, taken.err).toBe(0);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false); // released at the end
  });
});
