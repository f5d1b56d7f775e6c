/** Page 4, "Benchmark": sgemm and LeNet-5 training on each device here, beside TensorFlow.js wasm. */
import { fmt, h, hasWebGpuAdapter, isIsolated } from "../dom.js";
import { runTool, type BenchResult, type ToolsRequest } from "../tools-protocol.js";

const SIZE = 512;

export function mountBench(root: HTMLElement): () => void {
  const go = h("button", { id: "bench-run", type: "button" }, "Run the benchmarks");
  const tfjs = h("input", { id: "bench-tfjs", type: "checkbox", checked: true });
  const status = h("p", { id: "bench-status", "data-state": "idle", role: "status", "aria-live": "polite" }, "");
  const body = h("tbody", { id: "bench-rows" });
  root.append(
    h("h2", {}, "Benchmark in your browser"),
    h("p", {}, `sgemm ${SIZE}×${SIZE}×${SIZE} in GFLOP/s and LeNet-5 training steps (batch 64, Adam) in images/s, on each device this browser offers, each in a fresh worker; TensorFlow.js's wasm backend is downloaded only when you run it. Numbers vary with the machine and what else it is doing.`),
    h("div", { class: "buttons" }, go, h("label", { for: "bench-tfjs" }, tfjs, " include TensorFlow.js (wasm backend)")),
    status,
    h("div", { class: "scroll" }, h("table", { class: "summary" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "engine"), h("th", { scope: "col" }, `sgemm ${SIZE}³ GFLOP/s`), h("th", { scope: "col" }, "LeNet-5 training, images/s"), h("th", { scope: "col" }, "note"))),
      body)));

  go.addEventListener("click", async () => {
    go.disabled = true;
    body.replaceChildren();
    status.dataset.state = "running";
    const runs: ToolsRequest[] = [{ type: "bench", device: "js", threads: 1, size: SIZE }, { type: "bench", device: "wasm", threads: 1, size: SIZE }];
    if (isIsolated()) runs.push({ type: "bench", device: "wasm", threads: 2, size: SIZE });
    if (await hasWebGpuAdapter()) runs.push({ type: "bench", device: "webgpu", threads: 1, size: SIZE });
    if (tfjs.checked) runs.push({ type: "bench-tfjs", size: SIZE });
    for (const [i, req] of runs.entries()) {
      status.textContent = `Running ${i + 1} of ${runs.length}…`;
      const row = (r: BenchResult) => h("tr", {}, h("td", {}, r.engine), h("td", { class: "num" }, fmt(r.gflops, 1)), h("td", { class: "num" }, fmt(r.trainImagesPerSecond)), h("td", {}, r.note ?? ""));
      try {
        const rep = await runTool(req);
        if (rep.type === "bench") body.append(row(rep.result));
      } catch (e) {
        const what = req.type === "bench" ? `Tessera ${req.device}${req.device === "wasm" ? ` (${req.threads} thread${req.threads > 1 ? "s" : ""})` : ""}` : "TensorFlow.js wasm";
        body.append(row({ engine: what, gflops: NaN, trainImagesPerSecond: NaN, note: `failed: ${(e as Error).message}` }));
      }
    }
    status.dataset.state = "done";
    status.textContent = "Done.";
    go.disabled = false;
  });
  return () => {};
}
