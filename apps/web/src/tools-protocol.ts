/** Messages of the tools worker (summaries and benchmarks). */
import type { DeviceChoice } from "./protocol.js";

/** One benchmarked engine's results. */
export interface BenchResult {
  readonly engine: string;
  /** sgemm n×n×n, GFLOP/s. */
  readonly gflops: number;
  /** Images per second of LeNet-5 training steps (batch 64), or NaN with `note`. */
  readonly trainImagesPerSecond: number;
  readonly note?: string;
}

/** Requests to the tools worker. */
export type ToolsRequest =
  | { readonly type: "summary"; readonly model: string }
  | { readonly type: "bench"; readonly device: DeviceChoice; readonly threads: number; readonly size: number }
  | { readonly type: "bench-tfjs"; readonly size: number };

/** One summary row (as `summary()` gives it). */
export interface SummaryRowData {
  readonly name: string;
  readonly type: string;
  readonly outputShape: number[];
  readonly params: number;
  readonly macs: number;
}

/** Reports of the tools worker. */
export type ToolsReport =
  | { readonly type: "summary"; readonly model: string; readonly rows: SummaryRowData[]; readonly total: number; readonly trainable: number; readonly macs: number }
  | { readonly type: "bench"; readonly result: BenchResult }
  | { readonly type: "error"; readonly message: string };

/** Runs one request in a fresh tools worker and resolves with its report (errors reject). */
export function runTool(req: ToolsRequest): Promise<ToolsReport> {
  const w = new Worker(new URL("./tools.worker.ts", import.meta.url), { type: "module", name: "tessera-tools" });
  return new Promise<ToolsReport>((resolve, reject) => {
    w.onmessage = (e: MessageEvent<ToolsReport>) => {
      w.terminate();
      if (e.data.type === "error") reject(new Error(e.data.message));
      else resolve(e.data);
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new Error(e.message || "the tools worker failed to start"));
    };
    w.postMessage(req);
  });
}
