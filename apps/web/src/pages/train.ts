/** Page 1, "Train in your tab": trains an MNIST net in a Web Worker with live curves. */
import { LineChart } from "../chart.js";
import { downloadBlob, field, fmt, h, hasWebGpuAdapter, isIsolated, select } from "../dom.js";
import { MNIST_MODEL_LABELS } from "../model-names.js";
import type { DeviceChoice, MnistModelName, TrainReport, TrainRequest } from "../protocol.js";

/** The last weights trained on this page (kept across visits of other pages). */
let lastWeights: { bytes: Uint8Array; model: string } | undefined;

export function mountTrain(root: HTMLElement): () => void {
  const isolated = isIsolated();
  const model = select("train-model", Object.entries(MNIST_MODEL_LABELS), "lenet5");
  const device = select("train-device", [["wasm", "WebAssembly SIMD"], ["js", "plain JavaScript"], ["webgpu", "WebGPU (checking…)", true]], "wasm");
  const threads = select("train-threads", [["1", "1"], ["2", isolated ? "2" : "2 (needs a cross-origin isolated page)", !isolated]], isolated ? "2" : "1");
  const epochs = h("input", { id: "train-epochs", type: "number", min: 1, max: 50, value: 3, inputmode: "numeric" });
  const trainSize = h("input", { id: "train-size", type: "number", min: 64, max: 8000, step: 1, value: 8000, inputmode: "numeric" });
  const lr = h("input", { id: "train-lr", type: "number", min: 0.0001, max: 0.1, step: 0.0001, value: 0.002, inputmode: "decimal" });
  const seed = h("input", { id: "train-seed", type: "number", min: 0, step: 1, value: 0, inputmode: "numeric" });
  const start = h("button", { id: "train-start", type: "submit" }, "Train");
  const pause = h("button", { id: "train-pause", type: "button", disabled: true }, "Pause");
  const download = h("button", { id: "train-download", type: "button", disabled: true }, "Download .safetensors");
  const state = h("p", { id: "train-state", "data-state": "idle", role: "status", "aria-live": "polite" }, "Idle.");
  const env = h("p", { id: "train-env" }, `Cross-origin isolated: ${isolated ? "yes (wasm threads available)" : "no (one wasm thread)"}.`);
  const progress = h("progress", { id: "train-progress", max: 1, value: 0, "aria-label": "training progress" });
  const progressText = h("span", { id: "train-progress-text" }, "");
  const ips = h("output", { id: "images-per-second", "data-value": "" }, "–");
  const testAcc = h("output", { id: "test-accuracy", "data-value": "" }, "–");
  const threadsOut = h("output", { id: "train-threads-used", "data-value": "" }, "–");
  const lossChart = new LineChart("Training loss per step", 0, 2.5, [["train loss", "s1"]]);
  const accChart = new LineChart("Accuracy: training batches and the test set after each epoch", 0, 1, [["train batch", "s1"], ["test", "s2"]]);

  const form = h("form", { class: "controls", "aria-label": "training settings" },
    field("Model", model), field("Device", device), field("wasm threads", threads), field("Epochs", epochs),
    field("Training digits", trainSize), field("Learning rate (Adam)", lr), field("Seed", seed),
    h("div", { class: "buttons" }, start, pause, download));
  root.append(
    h("h2", {}, "Train in your tab"),
    h("p", {}, "A convolutional net learns the bundled MNIST digits (8,000 for training, 2,000 for the test) in a Web Worker: the page stays responsive. The weights are saved in this browser (IndexedDB) when training ends; the Draw page uses them."),
    form, env,
    h("div", { class: "stats" },
      h("div", {}, progress, " ", progressText),
      h("dl", {}, h("dt", {}, "images/s"), h("dd", {}, ips), h("dt", {}, "test accuracy"), h("dd", {}, testAcc), h("dt", {}, "device"), h("dd", {}, threadsOut))),
    state,
    h("div", { class: "charts" }, lossChart.svg, accChart.svg));

  void hasWebGpuAdapter().then((ok) => {
    const opt = device.querySelector<HTMLOptionElement>('option[value="webgpu"]')!;
    opt.disabled = !ok;
    opt.textContent = ok ? "WebGPU" : "WebGPU (no adapter in this browser)";
  });
  device.addEventListener("change", () => (threads.disabled = device.value !== "wasm"));

  let worker: Worker | undefined;
  let paused = false;
  const setState = (s: string, text: string) => {
    state.dataset.state = s;
    state.textContent = text;
  };
  const onReport = (m: TrainReport, total: { steps: number; epochs: number }) => {
    switch (m.type) {
      case "ready":
        total.steps = m.batchesPerEpoch * total.epochs;
        threadsOut.dataset.value = String(m.threads);
        threadsOut.textContent = m.device;
        setState("running", `Training on ${m.device}: ${fmt(m.trainSize)} digits, ${total.epochs} epoch(s).`);
        break;
      case "step":
        lossChart.add("train loss", m.step, m.loss);
        accChart.add("train batch", m.step, m.accuracy);
        progress.value = m.step / total.steps;
        progressText.textContent = `epoch ${m.epoch + 1}/${total.epochs} · step ${m.step}/${total.steps}`;
        ips.dataset.value = String(m.imagesPerSecond);
        ips.textContent = fmt(m.imagesPerSecond);
        break;
      case "epoch":
        accChart.add("test", m.step, m.testAccuracy);
        testAcc.textContent = `${fmt(100 * m.testAccuracy, 2)} % (epoch ${m.epoch + 1})`;
        break;
      case "paused":
        paused = m.paused;
        pause.textContent = paused ? "Resume" : "Pause";
        setState(paused ? "paused" : "running", paused ? "Paused." : "Training…");
        break;
      case "done":
        testAcc.dataset.value = String(m.testAccuracy);
        ips.dataset.value = String(m.imagesPerSecond);
        ips.textContent = fmt(m.imagesPerSecond);
        lastWeights = { bytes: m.weights, model: m.model };
        download.disabled = false;
        pause.disabled = true;
        start.disabled = false;
        worker?.terminate();
        worker = undefined;
        setState("done", `Done: ${fmt(100 * m.testAccuracy, 2)} % on the 2,000 test digits. Weights saved in this browser.`);
        break;
      case "error":
        setState("error", `Error: ${m.message}`);
        console.error(m.message);
        worker?.terminate();
        worker = undefined;
        start.disabled = false;
        pause.disabled = true;
        break;
    }
  };

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    worker?.terminate();
    lossChart.clear();
    accChart.clear();
    testAcc.dataset.value = "";
    testAcc.textContent = "–";
    const req: TrainRequest = {
      type: "start", model: model.value as MnistModelName, device: device.value as DeviceChoice, threads: Number(threads.value),
      epochs: Number(epochs.value), batchSize: 64, lr: Number(lr.value), seed: Number(seed.value), trainSize: Number(trainSize.value),
    };
    const total = { steps: 1, epochs: req.epochs };
    worker = new Worker(new URL("../train.worker.ts", import.meta.url), { type: "module", name: "tessera-train" });
    worker.onmessage = (ev: MessageEvent<TrainReport>) => onReport(ev.data, total);
    worker.onerror = (ev) => onReport({ type: "error", message: ev.message || "the training worker failed to start" }, total);
    paused = false;
    pause.textContent = "Pause";
    pause.disabled = false;
    start.disabled = true;
    setState("starting", "Loading the digits and the device…");
    worker.postMessage(req);
  });
  pause.addEventListener("click", () => worker?.postMessage({ type: paused ? "resume" : "pause" } satisfies TrainRequest));
  download.addEventListener("click", () => lastWeights && downloadBlob(new Blob([lastWeights.bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }), `${lastWeights.model}.safetensors`));
  if (lastWeights) download.disabled = false;
  return () => worker?.terminate();
}
