import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lenet5 } from "@tessera/models";
import type { SummaryValue, TensorBoardEvent } from "@tessera/nn";
import { readEventFile } from "@tessera/nn/node";
import { trainHooks } from "./hooks.js";
import { cli } from "./cli.test-helper.js";

const eventFiles = (dir: string) => readdirSync(dir).filter((n) => n.startsWith("events.out.tfevents.")).sort();

/** Every point of every event file in `dir`, in file order (names sort by creation second, then counter). */
async function rawPoints(dir: string): Promise<{ step: number; value: SummaryValue }[][]> {
  const files: { step: number; value: SummaryValue }[][] = [];
  for (const f of eventFiles(dir)) {
    const events: TensorBoardEvent[] = await readEventFile(join(dir, f));
    files.push(events.flatMap((e) => (e.what === "sessionLog" && e.sessionStatus === "start" ? [{ step: e.step, value: { kind: "other", tag: "<purge>", pluginName: "", field: "" } as SummaryValue }] : e.values.map((value) => ({ step: e.step, value })))));
  }
  return files;
}

/**
 * What TensorBoard shows for the run in `dir`: the files read in order, a purge marker (a
 * SessionLog START at step s) dropping every earlier point at step >= s. Per tag: [step, value].
 */
async function shown(dir: string): Promise<Map<string, [number, SummaryValue][]>> {
  let points: { step: number; value: SummaryValue }[] = [];
  for (const file of await rawPoints(dir)) {
    for (const p of file) {
      if (p.value.tag === "<purge>") points = points.filter((q) => q.step < p.step);
      else points.push(p);
    }
  }
  const byTag = new Map<string, [number, SummaryValue][]>();
  for (const p of points) {
    if (p.value.tag === "images_per_sec") continue; // a timing
    byTag.set(p.value.tag, [...(byTag.get(p.value.tag) ?? []), [p.step, p.value]]);
  }
  return byTag;
}

afterEach(() => {
  delete trainHooks.batchDone;
  delete trainHooks.saving;
});

describe("tessera train writes TensorBoard logs into its run folder", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-tb-"));
  const flags = ["--epochs", "3", "--limit", "256", "--batch-size", "32", "--no-progress"];
  const straight = join(dir, "straight");

  it("one event file: loss and accuracy (train and test) and lr per epoch, weight histograms every epoch, the summary at step 0", async () => {
    const r = await cli(["train", ...flags, "--out", straight]);
    expect(r.code, r.err).toBe(0);
    expect(eventFiles(straight)).toHaveLength(1);
    const tags = await shown(straight);
    const history = JSON.parse(readFileSync(join(straight, "metrics.json"), "utf8")) as Record<string, number>[];
    for (const [tag, key] of [["loss/train", "loss"], ["accuracy/train", "accuracy"], ["loss/test", "val_loss"], ["accuracy/test", "val_accuracy"]]) {
      expect(tags.get(tag), tag).toEqual(history.map((h, i) => [i, { kind: "scalar", tag, value: Math.fround(h[key]) }]));
    }
    // The cosine schedule from Adam's 2e-3 over 3 × 8 batches: the lr of each epoch's last batch.
    const cosine = (b: number) => Math.fround(0.5 * 2e-3 * (1 + Math.cos((Math.PI * b) / 24)));
    expect(tags.get("lr")!.map(([step, v]) => [step, (v as { value: number }).value])).toEqual([[0, cosine(7)], [1, cosine(15)], [2, cosine(23)]]);
    // A weight histogram of every parameter at every epoch (and the last batch's gradients).
    const names = lenet5().namedParameters().map(([k]) => k);
    for (const k of names) {
      const h = tags.get(`weights/${k}`)!;
      expect(h.map(([s]) => s), k).toEqual([0, 1, 2]);
      expect((h[0][1] as { histogram: { num: number } }).histogram.num).toBeGreaterThan(0);
      expect(tags.get(`gradients/${k}`)!.map(([s]) => s)).toEqual([0, 1, 2]);
    }
    expect([...tags.keys()].filter((t) => t.startsWith("weights/")).sort()).toEqual(names.map((k) => `weights/${k}`).sort());
    const text = tags.get("model/summary")!;
    expect(text.map(([s]) => s)).toEqual([0]);
    expect((text[0][1] as { text: string }).text).toContain("Total params: 61,706");
    // Nothing else (e.g. the run's timings under their own names).
    expect([...tags.keys()].filter((t) => !/^(weights|gradients)\//.test(t)).sort()).toEqual(["accuracy/test", "accuracy/train", "loss/test", "loss/train", "lr", "model/summary"]);
  });

  // Interrupted mid-epoch 2 or mid-epoch 1 (Ctrl-C), or crashed after epoch 2 was logged but before
  // its checkpoint: the resumed run's points continue the steps, and what TensorBoard shows equals
  // the uninterrupted run's, every step once.
  const cases: [string, () => void, number][] = [
    ["Ctrl-C mid-epoch 2", () => void (trainHooks.batchDone = (e, b) => void (e === 1 && b === 3 && process.emit("SIGINT"))), 1],
    ["Ctrl-C mid-epoch 1", () => void (trainHooks.batchDone = (e, b) => void (e === 0 && b === 3 && process.emit("SIGINT"))), 0],
    ["a crash after epoch 2 was logged, before its checkpoint", () => {
      let saves = 0;
      trainHooks.saving = (stage) => {
        if (stage === "best" && ++saves === 2) throw new Error("test: crash before saving epoch 2");
      };
    }, 1],
  ];
  for (const [name, interrupt, resumeAt] of cases) {
    it(`${name}, then --resume: the steps continue without duplicates`, async () => {
      const out = join(dir, name.replace(/\W+/g, "-"));
      interrupt();
      const first = await cli(["train", ...flags, "--out", out]).catch((e: Error) => ({ code: -1, out: "", err: e.message }));
      delete trainHooks.batchDone;
      delete trainHooks.saving;
      expect(first.code === 0 || first.err === "test: crash before saving epoch 2", first.err).toBe(true);
      const second = await cli(["train", "--resume", "--out", out, "--no-progress"]);
      expect(second.code, second.err).toBe(0);
      expect(second.out).toContain(`resuming ${out} at epoch ${resumeAt + 1}`);
      const files = await rawPoints(out);
      expect(files).toHaveLength(2);
      // The resumed file starts with a purge marker at its first epoch.
      expect(files[1][0]).toEqual({ step: resumeAt, value: expect.objectContaining({ tag: "<purge>" }) });
      if (resumeAt > 0) expect(files[1].filter((p) => p.value.tag === "model/summary")).toEqual([]);
      const crashed = files[0].filter((p) => p.value.tag === "loss/train").map((p) => p.step);
      // A crash after logging left a point the resumed run writes again: only the purge hides it.
      expect(crashed).toEqual(name.startsWith("a crash") ? [0, 1] : resumeAt === 1 ? [0] : []);
      const seen = await shown(out);
      for (const [tag, points] of seen) expect(new Set(points.map(([s]) => s)).size, tag).toBe(points.length);
      expect(seen).toEqual(await shown(straight));
    });
  }

  it("--no-tensorboard writes no event file; a new run in the folder replaces the earlier run's event files", async () => {
    const quick = ["--epochs", "1", "--limit", "64", "--batch-size", "32", "--no-progress"];
    const off = join(dir, "off");
    expect((await cli(["train", ...quick, "--no-tensorboard", "--out", off])).code).toBe(0);
    expect(existsSync(join(off, "last.safetensors"))).toBe(true);
    expect(eventFiles(off)).toEqual([]);
    const again = join(dir, "again");
    expect((await cli(["train", ...quick, "--out", again])).code).toBe(0);
    const [before] = eventFiles(again);
    // Mark the earlier run's file (two runs in one second of one process may share a file name).
    writeFileSync(join(again, before), "the earlier run");
    const r = await cli(["train", ...quick, "--out", again]);
    expect(r.out).toContain(`removed 1 TensorBoard event file(s) of the earlier run in ${again}`);
    const after = eventFiles(again);
    expect(after).toHaveLength(1);
    expect(readFileSync(join(again, after[0]), "utf8")).not.toContain("the earlier run");
    expect((await readEventFile(join(again, after[0]))).length).toBeGreaterThan(1);
  });
});
