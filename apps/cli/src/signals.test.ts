import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { CHECKPOINT_FILE, readCheckpoint } from "./checkpoint.js";
import { LOCK_FILE } from "./run-folder.js";
import { cli, runOutcome } from "./cli.test-helper.js";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const HOOKS = pathToFileURL(fileURLToPath(new URL("../dist/hooks.js", import.meta.url))).href;

/**
 * Spawns `tessera` (optionally with a module preloaded, and with a stdin the test writes to);
 * `onLine` sees each stdout line and may signal the child. Resolves with the exit code (or signal) and the whole output.
 */
function spawnCli(args: string[], onLine: (line: string, child: ReturnType<typeof spawn>) => void | Promise<void>, preload?: string, stdin: "ignore" | "pipe" = "ignore") {
  const child = spawn(process.execPath, [...(preload ? ["--import", preload] : []), MAIN, ...args], { stdio: [stdin, "pipe", "pipe"] });
  let out = "";
  let err = "";
  let pending = "";
  child.stderr!.on("data", (d) => (err += d));
  child.stdout!.on("data", (d) => {
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

describe("tessera train in a child process: Ctrl-C, a second Ctrl-C, kill -9, a second process", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-signals-"));

  it("the first Ctrl-C is seen after the current batch (not the epoch), saves a checkpoint and exits 0; a second train on the folder is refused meanwhile", async () => {
    const out = join(dir, "ctrl-c");
    // Preloaded into the child: after batch 3 of epoch 1 it prints a marker and holds training (the
    // event loop runs) until the test writes a line to its stdin. The test signals while it holds,
    // so the signal lands inside batch 3 whatever the machine's speed.
    const preload = join(dir, "hold.mjs");
    writeFileSync(preload, [
      `import { writeSync } from "node:fs";`,
      `import { trainHooks } from ${JSON.stringify(HOOKS)};`,
      `trainHooks.batchDone = (e, b) => {`,
      `  if (e !== 0 || b !== 3) return;`,
      `  writeSync(1, "test: holding after batch 3\\n");`,
      `  return new Promise((resolve) => process.stdin.once("data", () => { process.stdin.destroy(); resolve(); }));`,
      `};`,
    ].join("\n"));
    let second: Promise<{ code: number; err: string }> | undefined;
    const r = await spawnCli(["train", "--epochs", "2", "--limit", "512", "--out", out, "--no-progress"], (line, child) => {
      if (line === "test: holding after batch 3") {
        second = cli(["train", "--epochs", "1", "--out", out]).then((s) => {
          child.kill("SIGINT");
          return s;
        });
      }
      // The child's SIGINT listener has run: let training go on (it must stop after this batch).
      if (line.startsWith("interrupted: finishing this batch")) child.stdin!.end("go\n");
    }, pathToFileURL(preload).href, "pipe");
    expect(await second).toMatchObject({ code: 2, err: expect.stringMatching(/^tessera train: .* is in use by another training process \(pid \d+\); wait for it to finish, or choose another --out$/) });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("interrupted: finishing this batch and saving a checkpoint");
    expect(r.out).not.toMatch(/epoch 1\/2: loss/);
    expect(r.out).toContain("epoch 1/2: stopped after 3/8 batches");
    expect(r.out).toContain(`saved ${join(out, CHECKPOINT_FILE)} at epoch 1, batch 3; continue with --resume`);
    const { state } = await readCheckpoint<{ model: string }>(out);
    expect([state.epoch, state.batch]).toEqual([0, 3]);
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
    expect(runOutcome(out)).toEqual(runOutcome(straight));
  });
});
