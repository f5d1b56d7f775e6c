/// <reference lib="webworker" />
/**
 * The worker of the course and benchmark pages: model summaries (a forward pass of a zoo model)
 * and timed benchmarks, off the page's thread. One request per worker: the page starts a fresh
 * one for each benchmarked device, so wasm thread pools never mix.
 */
import { getDevice } from "@tessera/blas";
import { summary } from "@tessera/nn";
import { benchDevice, benchTfjs } from "./bench-run.js";
import type { ToolsReport, ToolsRequest } from "./tools-protocol.js";
import { SUMMARY_ZOO } from "./zoo.js";

const post = (m: ToolsReport) => (self as DedicatedWorkerGlobalScope).postMessage(m);

async function handle(m: ToolsRequest): Promise<ToolsReport> {
  if (m.type === "summary") {
    const entry = SUMMARY_ZOO[m.model];
    if (!entry) throw new RangeError(`summary: unknown model "${m.model}" (models: ${Object.keys(SUMMARY_ZOO).join(", ")})`);
    const s = summary(entry.make({ seed: 0, device: getDevice("js") }), entry.input);
    return { type: "summary", model: m.model, rows: s.rows.map((r) => ({ ...r, outputShape: [...r.outputShape] })), total: s.total, trainable: s.trainable, macs: s.macs };
  }
  if (m.type === "bench") return { type: "bench", result: await benchDevice(m.device, m.threads, m.size) };
  if (m.type === "bench-tfjs") return { type: "bench", result: await benchTfjs(m.size) };
  throw new TypeError(`tools worker: unknown request ${JSON.stringify(m)}`);
}

self.onmessage = (e: MessageEvent<ToolsRequest>) => {
  handle(e.data).then(post, (err: unknown) => post({ type: "error", message: err instanceof Error ? err.message : String(err) }));
};
