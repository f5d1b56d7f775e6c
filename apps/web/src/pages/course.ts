/** Page 3, "The course, live": the 5×5 ⊛ 3×3 example as im2col + one sgemm, and model summaries. */
import { getDevice, sgemm } from "@tessera/blas";
import { conv2dGeometry } from "@tessera/conv";
import seed from "../../../../fixtures/seed-examples.json";
import { field, fmt, h, select } from "../dom.js";
import { runTool } from "../tools-protocol.js";
import { SUMMARY_ZOO } from "../zoo.js";

/** A matrix as an HTML table with a caption. */
function matrixTable(caption: string, rows: ArrayLike<number>[], id: string, highlight?: (r: number, c: number) => boolean): HTMLTableElement {
  const t = h("table", { class: "matrix", id }, h("caption", {}, caption));
  for (let r = 0; r < rows.length; r++) {
    const tr = h("tr");
    for (let c = 0; c < rows[r].length; c++) tr.append(h("td", { class: highlight?.(r, c) ? "hl" : undefined }, fmt(rows[r][c])));
    t.append(tr);
  }
  return t;
}

function reshape(flat: ArrayLike<number>, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => flat[r * cols + c]));
}

export function mountCourse(root: HTMLElement): () => void {
  const ex = seed.conv_5x5_by_3x3;
  const image = ex.image.flat(), filter = ex.filter.flat();
  // im2col on the reference device: column oh·3+ow holds the 3×3 patch at (oh, ow)
  const g = conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3]);
  const dev = getDevice("js");
  const xBuf = dev.alloc(25), colBuf = dev.alloc(81);
  dev.write(xBuf, Float32Array.from(image));
  dev.im2col(g.group, 1, xBuf, 0, 25, colBuf, 0, 9);
  const col = dev.readSync!(colBuf) as Float32Array;
  const y = sgemm("row-major", "no-transpose", "no-transpose", 1, 9, 9, 1, Float32Array.from(filter), 9, col, 9, 0, new Float32Array(9), 9);
  const expected = ex.valid_output.flat();
  const same = expected.every((v, i) => v === y[i]);

  const model = select("summary-model", Object.entries(SUMMARY_ZOO).map(([k, v]) => [k, v.label] as const), "alexnet");
  const go = h("button", { id: "summary-run", type: "submit" }, "Summarise");
  const out = h("div", { id: "summary-out", "aria-live": "polite" });
  const form = h("form", { class: "controls", "aria-label": "model summary" }, field("Model of the zoo", model), h("div", { class: "buttons" }, go));

  root.append(
    h("h2", {}, "The course, live"),
    h("h3", {}, "A 5×5 image ⊛ a 3×3 filter = im2col + one sgemm"),
    h("p", {}, "The course's example (fixtures/seed-examples.json). im2col copies each 3×3 patch of the image into a column; the convolution is then the 1×9 filter row times the 9×9 patch matrix: one sgemm, computed here in your browser."),
    h("div", { class: "matrices" },
      matrixTable("image X (5×5)", ex.image, "course-image"),
      matrixTable("filter W (3×3)", ex.filter, "course-filter"),
      matrixTable("im2col(X) (9×9): column 4 is the centre patch", reshape(col, 9, 9), "course-im2col", (_r, c) => c === 4),
      matrixTable("W as a row (1×9)", [filter], "course-wrow"),
      matrixTable("sgemm: W·im2col(X), read as 3×3", reshape(y, 3, 3), "course-output")),
    h("p", { id: "course-check", "data-ok": String(same) }, same ? "✓ equal to the course's valid output." : `✗ differs from the course's output ${JSON.stringify(ex.valid_output)}`),
    h("h3", {}, "Summary of a model"),
    h("p", {}, "summary() of @tessera/nn runs one forward pass (in a worker) and lists each layer's output shape, parameters and multiply-accumulates, as the course's AlexNet table does."),
    form, out);

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go.disabled = true;
    out.replaceChildren(h("p", {}, `Building ${model.value} and running it once…`));
    runTool({ type: "summary", model: model.value }).then((r) => {
      if (r.type !== "summary") throw new Error(`unexpected report ${r.type}`);
      const table = h("table", { class: "summary", id: "summary-table" },
        h("caption", {}, `${SUMMARY_ZOO[r.model].label}: ${fmt(r.total)} parameters, ${fmt(r.macs / 1e6, 1)} M multiply-accumulates`),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "layer"), h("th", { scope: "col" }, "type"), h("th", { scope: "col" }, "output shape"), h("th", { scope: "col" }, "parameters"), h("th", { scope: "col" }, "MACs"))));
      const body = h("tbody");
      for (const row of r.rows) body.append(h("tr", {}, h("td", {}, row.name), h("td", {}, row.type), h("td", {}, `[${row.outputShape.join(", ")}]`), h("td", { class: "num" }, fmt(row.params)), h("td", { class: "num" }, fmt(row.macs))));
      table.append(body);
      out.replaceChildren(h("div", { class: "scroll" }, table));
    }).catch((err: Error) => {
      out.replaceChildren(h("p", { class: "error" }, `Error: ${err.message}`));
      console.error(err);
    }).finally(() => (go.disabled = false));
  });
  return () => {};
}
