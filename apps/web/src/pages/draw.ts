/** Page 2, "Draw a digit": a pointer-drawn digit, MNIST preprocessing, class probabilities. */
import { classify, loadClassifier, MAX_WEIGHTS_BYTES, type Classifier } from "../classifier.js";
import { fmt, h } from "../dom.js";
import { FIELD, preprocessDigit } from "../preprocess.js";
import { downloadWeights, loadLatest, saveLatest } from "../weights-store.js";

const SIZE = 280;

export function mountDraw(root: HTMLElement): () => void {
  const canvas = h("canvas", { id: "draw-canvas", width: SIZE, height: SIZE, tabindex: 0, "aria-label": "Drawing area: draw a digit with the mouse, a finger or a pen. With the keyboard: Space puts the pen down or lifts it, the arrow keys move it, Escape clears", "aria-describedby": "draw-keys" });
  const preview = h("canvas", { id: "draw-preview", width: FIELD, height: FIELD, "aria-label": "The digit as the net sees it: 28×28 after MNIST preprocessing" });
  const clear = h("button", { id: "draw-clear", type: "button" }, "Clear");
  const upload = h("input", { id: "draw-upload", type: "file", accept: ".safetensors,application/octet-stream" });
  const download = h("button", { id: "draw-download", type: "button", disabled: true }, "Download .safetensors");
  const modelInfo = h("p", { id: "draw-model", "data-model": "", role: "status", "aria-live": "polite" }, "Looking for a model saved in this browser…");
  const prediction = h("output", { id: "draw-prediction", "data-value": "" }, "–");
  const bars = h("ol", { class: "bars", id: "draw-bars", start: 0, "aria-label": "class probabilities" });
  const meters: HTMLMeterElement[] = [];
  const values: HTMLSpanElement[] = [];
  for (let d = 0; d < 10; d++) {
    const m = h("meter", { min: 0, max: 1, value: 0, id: `prob-${d}`, "aria-label": `probability of ${d}` });
    const v = h("span", { class: "pct" }, "0 %");
    meters.push(m);
    values.push(v);
    bars.append(h("li", {}, h("span", { class: "digit" }, String(d)), m, v));
  }
  root.append(
    h("h2", {}, "Draw a digit"),
    h("p", { id: "draw-keys", class: "hint" }, "Keyboard: focus the drawing area, then Space puts the pen down or lifts it (the digit is classified when it lifts), the arrow keys move it, Escape clears."),
    h("p", {}, "Draw one digit, as large as you like. It is cropped to its bounding box, fitted into 20×20 pixels keeping its aspect ratio, and centred by its centre of mass in a 28×28 field, as the MNIST digits were."),
    modelInfo,
    h("div", { class: "draw" },
      h("div", {}, canvas, h("div", { class: "buttons" }, clear)),
      h("div", {}, h("p", {}, "Prediction: ", prediction), preview, bars)),
    h("div", { class: "buttons" }, h("label", { for: "draw-upload" }, `Use weights from a .safetensors file (up to ${MAX_WEIGHTS_BYTES / 1024 / 1024} MB): `), upload, download));

  const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
  const blank = () => {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, SIZE, SIZE);
  };
  blank();
  ctx.strokeStyle = "#fff";
  ctx.lineWidth = SIZE / 14;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";

  let classifier: Classifier | undefined;
  const setModel = (c: Classifier, where: string) => {
    classifier = c;
    modelInfo.dataset.model = c.name;
    const acc = c.metadata.test_accuracy ? `, ${fmt(100 * Number(c.metadata.test_accuracy), 2)} % test accuracy` : "";
    modelInfo.textContent = `Model: ${c.name} ${where}${acc}.`;
    download.disabled = false;
    run();
  };
  const fail = (e: unknown) => {
    modelInfo.dataset.model = "";
    modelInfo.textContent = `Error: ${(e as Error).message}`;
    console.error(e);
  };
  void loadLatest().then((c) => {
    if (!c) modelInfo.textContent = "No model yet: train one on the Train page, or use a .safetensors file.";
    else setModel(c, "from this browser (trained here or uploaded)");
  }).catch(fail);

  const run = () => {
    const img = ctx.getImageData(0, 0, SIZE, SIZE).data;
    const ink = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = img[4 * i] / 255;
    const digit = preprocessDigit(ink, SIZE, SIZE);
    const pctx = preview.getContext("2d")!;
    const pimg = pctx.createImageData(FIELD, FIELD);
    for (let i = 0; i < FIELD * FIELD; i++) {
      const v = Math.round(255 * (digit?.[i] ?? 0));
      pimg.data.set([v, v, v, 255], 4 * i);
    }
    pctx.putImageData(pimg, 0, 0);
    if (!digit || !classifier) {
      prediction.dataset.value = "";
      prediction.textContent = "–";
      meters.forEach((m, d) => ((m.value = 0), (values[d].textContent = "0 %")));
      return;
    }
    const p = classify(classifier, digit);
    let best = 0;
    for (let d = 0; d < 10; d++) {
      meters[d].value = p[d];
      values[d].textContent = `${fmt(100 * p[d], 1)} %`;
      if (p[d] > p[best]) best = d;
    }
    prediction.dataset.value = String(best);
    prediction.textContent = `${best} (${fmt(100 * p[best], 1)} %)`;
  };

  let drawing = false;
  const at = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * SIZE) / r.width, ((e.clientY - r.top) * SIZE) / r.height];
  };
  canvas.addEventListener("pointerdown", (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    const [x, y] = at(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!drawing) return;
    const [x, y] = at(e);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    run();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  // the keyboard pen: a cursor moved by the arrow keys, inking while down
  const STEP = SIZE / 28;
  let pen = { x: SIZE / 2, y: SIZE / 2, down: false };
  canvas.addEventListener("keydown", (e) => {
    const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (e.key in moves) {
      const [dx, dy] = moves[e.key];
      const x = Math.min(Math.max(pen.x + dx * STEP, 0), SIZE), y = Math.min(Math.max(pen.y + dy * STEP, 0), SIZE);
      if (pen.down) {
        ctx.beginPath();
        ctx.moveTo(pen.x, pen.y);
        ctx.lineTo(x, y);
        ctx.stroke();
      }
      pen = { ...pen, x, y };
    } else if (e.key === " ") {
      pen = { ...pen, down: !pen.down };
      if (pen.down) {
        ctx.beginPath();
        ctx.moveTo(pen.x, pen.y);
        ctx.lineTo(pen.x, pen.y);
        ctx.stroke();
      } else run();
    } else if (e.key === "Escape") {
      blank();
      pen = { x: SIZE / 2, y: SIZE / 2, down: false };
      run();
    } else return;
    e.preventDefault();
  });
  clear.addEventListener("click", () => {
    blank();
    run();
  });
  upload.addEventListener("change", async () => {
    const file = upload.files?.[0];
    if (!file) return;
    try {
      if (file.size > MAX_WEIGHTS_BYTES) throw new RangeError(`the file has ${file.size} bytes, more than the ${MAX_WEIGHTS_BYTES} accepted`);
      const c = await loadClassifier(new Uint8Array(await file.arrayBuffer()));
      await saveLatest(c.net, c.name, c.metadata);
      setModel(c, `from ${file.name}`);
    } catch (e) {
      fail(e);
    }
  });
  download.addEventListener("click", async () => {
    if (classifier) await downloadWeights(classifier.net, classifier.metadata, `${classifier.name}.safetensors`);
  });
  return () => {};
}
