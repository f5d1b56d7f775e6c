/**
 * The checkpoint codec in Node: its bytes equal those `tessera train` wrote before the codec moved
 * here (the committed fixture), a load restores weights, optimizer, scheduler and Dropout counters
 * so a resumed run continues exactly, and damaged or mismatched checkpoints are refused with
 * nothing changed. The browser twin is test/checkpoint.browser.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { setDefaultDevice } from "@tessera/blas";
import { tensor } from "@tessera/autograd";
import { Adam, mseLoss, SGD, StepLR } from "@tessera/optim";
import { checkpointFixture, values } from "../test/fixture-model.js";
import { CheckpointError, checkpointFromBytes, checkpointToBlob, checkpointToBytes, loadCheckpointFromBlob, decodeCheckpoint, dropoutCounters, Dropout, Linear, Sequential, stateDictToBytes } from "./index.js";

setDefaultDevice("js");
const fixture = new Uint8Array(readFileSync(new URL("../test/fixtures/checkpoint.safetensors", import.meta.url)));

async function fixtureBytes(): Promise<Uint8Array> {
  return checkpointToBytes(await checkpointFixture());
}

describe("checkpointToBytes", () => {
  it("writes exactly the bytes of tessera train's checkpoint format (fixture written before the move)", async () => {
    expect(await fixtureBytes()).toEqual(fixture);
  });

  it("rejects a state that is not a plain object, and unknown fields", async () => {
    const { model, optimizer } = await checkpointFixture();
    await expect(checkpointToBytes({ model, optimizer, state: [1] as never })).rejects.toThrow("checkpointToBytes: state must be a plain object of JSON values, got an array");
    await expect(checkpointToBytes({ model, optimizer, state: {}, schedular: 1 } as never)).rejects.toThrow("checkpointToBytes: unknown field 'schedular'");
  });
});

describe("checkpointFromBytes", () => {
  it("restores weights, optimizer state, Dropout counters and returns the run state", async () => {
    const want = await checkpointFixture();
    const got = await checkpointFixture(5);
    expect(await values(got.model)).not.toEqual(await values(want.model));
    const state = await checkpointFromBytes(fixture, got);
    expect(state).toEqual({ ...want.state, dropout: { "3": 1000 } });
    expect(await values(got.model)).toEqual(await values(want.model));
    expect(await got.optimizer.stateDict()).toEqual(await want.optimizer.stateDict());
    expect(dropoutCounters(got.model)).toEqual({ "3": 1000 });
  });

  it("a resumed run continues exactly as the uninterrupted one (Dropout masks, Adam moments)", async () => {
    const build = () => {
      const model = new Sequential(new Linear(3, 4), new Dropout(0.5, { seed: 1 }), new Linear(4, 1));
      return { model, optimizer: new Adam(model.parameters(), { lr: 0.01 }) };
    };
    const x = tensor([[1, 2, 3], [0.5, -1, 2]]);
    const y = tensor([[1], [-1]]);
    const step = async ({ model, optimizer }: ReturnType<typeof build>) => {
      optimizer.zeroGrad();
      mseLoss(model.forward(x), y).backward();
      optimizer.step();
    };
    const a = build();
    for (let i = 0; i < 2; i++) await step(a);
    const bytes = await checkpointToBytes({ ...a, state: { step: 2 } });
    for (let i = 0; i < 2; i++) await step(a);
    const b = build();
    expect((await checkpointFromBytes<{ step: number }>(bytes, b)).step).toBe(2);
    for (let i = 0; i < 2; i++) await step(b);
    expect(await values(b.model)).toEqual(await values(a.model));
  });

  it("saves and restores a scheduler; refuses to drop one or to invent one", async () => {
    const make = () => {
      const model = new Linear(2, 1);
      const optimizer = new SGD(model.parameters(), { lr: 0.1 });
      return { model, optimizer, scheduler: new StepLR(optimizer, 2, 0.5) };
    };
    const a = make();
    a.scheduler.step();
    a.scheduler.step();
    a.scheduler.step();
    const bytes = await checkpointToBytes({ ...a, state: {} });
    const b = make();
    await checkpointFromBytes(bytes, b);
    expect(b.scheduler.stateDict()).toEqual(a.scheduler.stateDict());
    expect(b.optimizer.paramGroups[0].lr).toBe(a.optimizer.paramGroups[0].lr);
    const c = make();
    await expect(checkpointFromBytes(bytes, { model: c.model, optimizer: c.optimizer })).rejects.toThrow("it holds the state of a StepLR scheduler; pass { scheduler }");
    const plain = await checkpointToBytes({ model: a.model, optimizer: a.optimizer, state: {} });
    await expect(checkpointFromBytes(plain, make())).rejects.toThrow("it holds no scheduler state, but a scheduler was passed");
  });

  it("a load the optimizer refuses leaves the model as it was", async () => {
    const target = await checkpointFixture(5);
    const before = await values(target.model);
    const sgd = new SGD(target.model.parameters(), { lr: 0.1 });
    await expect(checkpointFromBytes(fixture, { model: target.model, optimizer: sgd })).rejects.toThrow(/SGD\.loadStateDict/);
    expect(await values(target.model)).toEqual(before);
    expect(dropoutCounters(target.model)).toEqual({ "3": 1005 });
  });

  it("a model that does not fit is refused by loadStateDict, naming the keys", async () => {
    const model = new Linear(3, 4);
    await expect(checkpointFromBytes(fixture, { model, optimizer: new Adam(model.parameters()) })).rejects.toThrow(/missing|unexpected/i);
  });
});

describe("decodeCheckpoint refuses damaged or foreign bytes", () => {
  const reason = (bytes: Uint8Array) => {
    try {
      decodeCheckpoint(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(CheckpointError);
      return (e as CheckpointError).reason;
    }
    throw new Error("decoded");
  };

  it("a changed tensor byte fails the SHA-256", () => {
    const bytes = fixture.slice();
    bytes[bytes.length - 1] ^= 1;
    expect(reason(bytes)).toBe("the SHA-256 of its tensors does not match");
    expect(() => decodeCheckpoint(bytes)).toThrow("decodeCheckpoint: damaged or not a tessera checkpoint (the SHA-256 of its tensors does not match)");
  });

  it("truncated bytes fail in the safetensors reader", () => {
    expect(reason(fixture.subarray(0, fixture.length - 10))).toMatch(/^safetensors: .*truncated\?$/);
  });

  it("a weights file is not a checkpoint", async () => {
    expect(reason(await stateDictToBytes(new Linear(2, 1)))).toBe('format "pt", expected tessera-train-checkpoint-1');
  });

  it("a Dropout layer without a counter is refused before anything is written", async () => {
    const model = new Sequential(new Linear(2, 2), new Dropout(0.5));
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const other = new Sequential(new Linear(2, 2), new Linear(2, 2));
    const saved = await checkpointToBytes({ model: other, optimizer: new SGD(other.parameters(), { lr: 0.1 }), state: {} });
    const before = await values(model);
    await expect(decodeCheckpoint(saved).load({ model, optimizer })).rejects.toThrow("decodeCheckpoint: damaged or not a tessera checkpoint (no counter for the Dropout layer '1')");
    expect(await values(model)).toEqual(before);
  });
});

describe("checkpoints as Blobs (Node has Blob too)", () => {
  it("checkpointToBlob holds the fixture's bytes; loadCheckpointFromBlob restores them", async () => {
    expect(new Uint8Array(await (await checkpointToBlob(await checkpointFixture())).arrayBuffer())).toEqual(fixture);
    const got = await checkpointFixture(5);
    expect((await loadCheckpointFromBlob(got, new Blob([fixture]))).epoch).toBe(1);
    expect(await values(got.model)).toEqual(await values((await checkpointFixture()).model));
  });

  it("an upload is size-checked before it is read, and a truncated one is refused changing nothing", async () => {
    const got = await checkpointFixture(5);
    const before = await values(got.model);
    await expect(loadCheckpointFromBlob(got, new File([fixture], "run.safetensors"), { maxBytes: 1000 })).rejects.toThrow(
      `loadCheckpointFromBlob: the file 'run.safetensors' has ${fixture.length} bytes, more than maxBytes (1000)`);
    await expect(loadCheckpointFromBlob(got, new Blob([fixture.subarray(0, 2000)]))).rejects.toThrow(/^decodeCheckpoint: damaged or not a tessera checkpoint \(safetensors: .*truncated\?\)$/);
    expect(await values(got.model)).toEqual(before);
  });
});
