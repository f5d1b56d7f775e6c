import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

/** Runs `tessera` in a child process: Dawn reads EGL_PLATFORM from the process's own environment (llvmpipe without a display). */
function tessera(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, EGL_PLATFORM: process.env.EGL_PLATFORM ?? "surfaceless" } });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

/** The errors of `webgpuDevice` when this machine has no WebGPU at all (no Dawn package, or no adapter on any backend). */
const NO_ADAPTER = /^tessera train: could not start the 'webgpu' device: webgpuDevice: (WebGPU is unavailable|no WebGPU adapter found|.* offers no WebGPU adapter).*$/m;

describe("tessera train --device webgpu", () => {
  it("trains one epoch on the WebGPU device (Dawn; llvmpipe on machines without a GPU)", async (ctx) => {
    const out = join(mkdtempSync(join(tmpdir(), "tessera-webgpu-")), "run");
    const r = await tessera(["train", "--device", "webgpu", "--epochs", "1", "--limit", "64", "--batch-size", "32", "--no-progress", "--out", out]);
    const none = r.code === 2 ? NO_ADAPTER.exec(r.err) : null;
    if (none) ctx.skip(`no WebGPU adapter on this machine (${none[0]})`);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^lenet5: 61,706 parameters; 64 training and 2000 test images; device webgpu$/m);
    expect(r.out).toMatch(/^epoch 1\/1: loss \d\.\d+, accuracy [\d.]+%, test loss [\d.]+, test accuracy [\d.]+%/m);
    const [m] = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")) as Record<string, number>[];
    expect(Number.isFinite(m.loss) && Number.isFinite(m.val_loss)).toBe(true);
    for (const f of ["checkpoint.safetensors", "last.safetensors", "best.safetensors"]) expect(existsSync(join(out, f)), f).toBe(true);
  });
});
