import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tensor } from "@tessera/autograd";
import { Rng } from "@tessera/ndarray";
import {
  BatchNorm2d, Conv2d, decodeSafetensors, encodeSafetensors, Linear, loadStateDictFromBytes, loadWeights, Module, ReLU, saveWeights,
  Sequential, stateDictToBytes,
} from "./index.js";

describe("Module: parameters, buffers and state dicts", () => {
  it("keys follow fields and Sequential indices, parameters before buffers, like PyTorch", () => {
    class Block extends Module {
      conv1 = new Conv2d(3, 4, 3, { bias: false, rng: new Rng(1) });
      bn1 = new BatchNorm2d(4);
      relu = new ReLU();
      head = new Sequential(new Linear(4, 2, { rng: new Rng(2) }));
      forward(x: ReturnType<typeof tensor>) {
        return x;
      }
    }
    const keys = [...new Block().stateDict().keys()];
    expect(keys).toEqual([
      "conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked", "head.0.weight", "head.0.bias",
    ]);
    expect(new Block().parameters().length).toBe(5);
    expect(new Block().buffers().length).toBe(3);
  });

  it("loadStateDict checks every key and shape before writing anything", async () => {
    const a = new Sequential(new Linear(3, 2, { rng: new Rng(1) }));
    const b = new Sequential(new Linear(3, 2, { rng: new Rng(2) }));
    const before = [...(await b.parameters()[0].data())];
    const bad = new Map(a.stateDict());
    bad.set("0.bias", tensor([1, 2, 3]));
    await expect(b.loadStateDict(bad)).rejects.toThrow("loadStateDict: '0.bias' has shape [3], the module expects [2]");
    expect([...(await b.parameters()[0].data())]).toEqual(before);
    const missing = new Map(a.stateDict());
    missing.delete("0.bias");
    missing.set("extra", tensor([1]));
    await expect(b.loadStateDict(missing)).rejects.toThrow("loadStateDict: missing keys: 0.bias; unexpected keys: extra");
    await b.loadStateDict(missing, { strict: false });
    expect([...(await b.parameters()[0].data())]).toEqual([...(await a.parameters()[0].data())]);
  });

  it("train/eval propagate; default init is U(±1/√fan_in)", async () => {
    const s = new Sequential(new Linear(400, 10, { rng: new Rng(3) }), new ReLU());
    expect(s.eval().namedModules().every(([, m]) => !m.training)).toBe(true);
    const w = await s.parameters()[0].data();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(0.05);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.045);
  });
});

describe("safetensors", () => {
  it("writes the spec's layout byte for byte", () => {
    const bytes = encodeSafetensors(new Map([["w", { dtype: "F32", shape: [2], data: new Float32Array([1, -2]) }]]));
    const header = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const padded = header + " ".repeat((8 - (header.length % 8)) % 8);
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true))).toBe(padded.length);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + padded.length))).toBe(padded);
    expect([...new Float32Array(bytes.slice(8 + padded.length).buffer)]).toEqual([1, -2]);
  });

  it("reads files laid out as Python's safetensors writes them (metadata, I64, BF16, F16)", () => {
    const header = JSON.stringify({
      __metadata__: { format: "pt" },
      a: { dtype: "I64", shape: [], data_offsets: [0, 8] },
      b: { dtype: "BF16", shape: [2], data_offsets: [8, 12] },
      c: { dtype: "F16", shape: [1], data_offsets: [12, 14] },
    });
    const h = new TextEncoder().encode(header);
    const buf = new Uint8Array(8 + h.length + 14);
    const v = new DataView(buf.buffer);
    v.setBigUint64(0, BigInt(h.length), true);
    buf.set(h, 8);
    const o = 8 + h.length;
    v.setBigInt64(o, 7n, true);
    v.setUint16(o + 8, 0x3f80, true); // bf16 1.0
    v.setUint16(o + 10, 0xc000, true); // bf16 −2.0
    v.setUint16(o + 12, 0x3c00, true); // f16 1.0
    const { tensors, metadata } = decodeSafetensors(buf);
    expect(metadata).toEqual({ format: "pt" });
    expect([...tensors.get("a")!.data]).toEqual([7]);
    expect([...tensors.get("b")!.data]).toEqual([1, -2]);
    expect([...tensors.get("c")!.data]).toEqual([1]);
  });

  it("rejects truncated and corrupt files with a clear error", () => {
    const good = encodeSafetensors(new Map([["w", { dtype: "F32", shape: [4], data: new Float32Array(4) }]]));
    expect(() => decodeSafetensors(good.slice(0, 5))).toThrow("safetensors: file has 5 bytes, shorter than the 8-byte header length");
    expect(() => decodeSafetensors(good.slice(0, good.length - 4))).toThrow(/lie outside the 12 data bytes: truncated\?/);
    const bad = good.slice();
    bad[8] = 0x5b; // '[' instead of '{': the header is no longer valid JSON
    expect(() => decodeSafetensors(bad)).toThrow(/header is not valid UTF-8 JSON/);
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    expect(() => decodeSafetensors(longer)).toThrow("safetensors: 4 bytes after the last tensor are not covered by the header");
    const huge = good.slice();
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => decodeSafetensors(huge)).toThrow(/exceeds the limit/);
  });

  it("saves atomically and loads back; a corrupt file changes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-weights-"));
    const a = new Sequential(new Conv2d(1, 2, 3, { rng: new Rng(1) }), new BatchNorm2d(2));
    const b = new Sequential(new Conv2d(1, 2, 3, { rng: new Rng(9) }), new BatchNorm2d(2));
    const path = join(dir, "model.safetensors");
    await saveWeights(a, path, { epoch: "3" });
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    const meta = await loadWeights(b, path);
    expect(meta.epoch).toBe("3");
    for (const [k, t] of a.stateDict()) expect([...(await b.stateDict().get(k)!.data())]).toEqual([...(await t.data())]);
    const c = new Sequential(new Conv2d(1, 2, 3, { rng: new Rng(5) }), new BatchNorm2d(2));
    const before = [...(await c.parameters()[0].data())];
    writeFileSync(path, readFileSync(path).subarray(0, 100));
    await expect(loadWeights(c, path)).rejects.toThrow(/safetensors/);
    expect([...(await c.parameters()[0].data())]).toEqual(before);
    await expect(loadStateDictFromBytes(new Sequential(new Linear(2, 2)), await stateDictToBytes(a))).rejects.toThrow(/unexpected keys: 1.weight/);
  });
});
