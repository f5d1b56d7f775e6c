import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { CHECKPOINT_FILE, readCheckpoint } from "./checkpoint.js";
import { LOCK_FILE } from "./run-folder.js";
import { run } from "./run.js";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const HOOKS = pathToFileURL(fileURLToPath(new URL("../dist/hooks.js", import.meta.url))).href;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/**
 * Spawns `tessera` (optionally with a module preloaded); `onLine` sees each stdout line and may
 * signal the child. Resolves with the exit code (or signal) and the whole output.
 */
function spawnCli(args: string[], onLine: (line: string, child: ReturnType<typeof spawn>) => void | Promise<void>, preload?: string) {
  const child = spawn(process.execPath, [...(preload ? ["--import", preload] : []), MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let pending = "";
  child.stderr.on("data", (d) => (err += d));
  child.stdout.on("data", (d) => {
    out += d;
    pending += d;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const l of lines) void onLine(l, child);
  });
  return new Promise<{ code: number | null; signal: string | null; out: string; err: string }>((resolve, reject) => {
    child.on("exit", (code, signal) => setImmediate(() => resolve({ code, signal, out, err })));
    child.on("error", reject);
  });
}

function outcome(dir: string) {
  const metrics = JSON.parse(readFileSync(join(dir, "metrics.json"), "utf8")) as Record<string, number>[];
  return {
    last: createHash("sha256").update(readFileSync(join(dir, "last.safetensors"))).digest("hex"),
    best: createHash("sha256").update(readFileSync(join(dir, "best.safetensors"))).digest("hex"),
    metrics: metrics.map(({ seconds: _s, images_per_second: _i, ...rest }) => rest),
  };
}

describe("tessera train in a child process: Ctrl-C, a second Ctrl-C, kill -9, a second process", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-signals-"));

  it("the first Ctrl-C is seen after the current batch (not the epoch), saves a checkpoint and exits 0; a second train on the folder is refused meanwhile", async () => {
    const out = join(dir, "ctrl-c");
    // The js device: 32 batches of 64 take seconds, so the signal lands inside epoch 1.
    let second: Promise<{ code: number; err: string }> | undefined;
    const r = await spawnCli(["train", "--device", "js", "--epochs", "2", "--limit", "2048", "--out", out, "--no-progress"], (line, child) => {
      if (line.startsWith("lenet5: ")) {
        second = cli(["train", "--epochs", "1", "--out", out]).then((s) => {
          child.kill("SIGINT");
          return s;
        });
      }
    });
    expect(await second).toMatchObject({ code: 2, err: expect.stringMatching(/^tessera train: .* is in use by another training process \(pid \d+\); wait for it to finish, or choose another --out$/) });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("interrupted: finishing this batch and saving a checkpoint");
    expect(r.out).not.toMatch(/epoch 1\/2: loss/);
    const saved = /saved .*checkpoint\.safetensors at epoch (\d+), batch (\d+); continue with --resume/.exec(r.out);
    expect(saved, r.out).not.toBeNull();
    expect(Number(saved![1])).toBe(1);
    expect(Number(saved![2])).toBeGreaterThan(0);
    expect(Number(saved![2])).toBeLessThan(32);
    expect(r.out).toContain(`epoch 1/2: stopped after ${saved![2]}/32 batches`);
    const { state } = await readCheckpoint<{ model: string }>(out);
    expect([state.epoch + 1, state.batch]).toEqual([1, Number(saved![2])]);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it("a second Ctrl-C quits at once with code 130 and saves nothing more", async () => {
    const out = join(dir, "twice");
    // Preloaded into the child: Ctrl-C after batch 2, and a second one as soon as the first is handled.
    const preload = join(dir, "twice.mjs");
    writeFileSync(preload, [
      `import { trainHooks } from ${JSON.stringify(HOOKS)};`,
      `trainHooks.batchDone = (e, b) => { if (e === 0 && b === 2) process.kill(process.pid, "SIGINT"); };`,
      `let n = 0; process.on("SIGINT", () => { if (n++ === 0) process.kill(process.pid, "SIGINT"); });`,
    ].join("\n"));
    const r = await spawnCli(["train", "--epochs", "1", "--limit", "256", "--batch-size", "32", "--out", out, "--no-progress"], () => {}, pathToFileURL(preload).href);
    expect(r.code, r.out + r.err).toBe(130);
    expect(r.out).toContain("interrupted again: quitting without saving more");
    expect(r.out).not.toContain("saved ");
    expect(existsSync(join(out, CHECKPOINT_FILE))).toBe(false);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it("kill -9 while epoch 1 is being saved: --resume (taking over the dead process's lock) gives the uninterrupted run", async () => {
    const flags = ["--epochs", "2", "--limit", "256", "--batch-size", "32", "--no-progress"];
    const straight = join(dir, "straight");
    expect((await cli(["train", ...flags, "--out", straight])).code).toBe(0);
    const out = join(dir, "killed");
    const r = await spawnCli(["train", ...flags, "--out", out], (line, child) => {
      if (line.startsWith("epoch 1/2:")) child.kill("SIGKILL");
    });
    expect(r.signal).toBe("SIGKILL");
    expect(existsSync(join(out, LOCK_FILE))).toBe(true);
    const resumed = existsSync(join(out, CHECKPOINT_FILE))
      ? await cli(["train", "--resume", "--out", out, "--no-progress"])
      : await cli(["train", ...flags, "--out", out]); // killed before the first checkpoint: nothing to resume
    expect(resumed.code, resumed.err).toBe(0);
    expect(readdirSync(out).filter((n) => n.endsWith(".tmp") || n === LOCK_FILE)).toEqual([]);
    expect(outcome(out)).toEqual(outcome(straight));
  });
});
