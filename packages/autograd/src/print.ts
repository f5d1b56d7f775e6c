/**
 * The text of a tensor: its values as `@tessera/ndarray` prints them (NumPy style, elided above a
 * thousand elements), then shape, dtype, device and requiresGrad. Nothing internal (storage, ids,
 * graph) is shown.
 * @internal
 */
import { NDArray } from "@tessera/ndarray";
import type { Tensor } from "./tensor.js";

const PREFIX = "tensor(";
/** Target line width, as NDArray's printing. */
const LINE_WIDTH = 75;

/** NDArray's text of the values, without its `array(` and `dtype=…)` frame, re-indented for `tensor(`. */
function valuesText(t: Tensor): string {
  if (t.size === 0) return "[]";
  const values = t.dataSync();
  const text = new NDArray(values, [...t.shape]).toString();
  const body = text.slice("array(".length, text.lastIndexOf("dtype=")).trimEnd().replace(/,$/, "");
  const indent = " ".repeat(PREFIX.length - "array(".length);
  return body.split("\n").map((line, i) => (i === 0 ? line : indent + line)).join("\n");
}

/** See {@link Tensor.toString}. */
export function formatTensor(t: Tensor): string {
  const meta = `shape=[${t.shape.join(", ")}], dtype=${t.dtype}, device=${t.device.name}, requiresGrad=${t.requiresGrad}`;
  let values: string;
  if (t.isDisposed) values = "<disposed>";
  else if (!t.device.readSync) values = `<on the '${t.device.name}' device: await tensor.data() to read>`;
  else values = valuesText(t);
  const nl = values.lastIndexOf("\n");
  const lastLine = nl < 0 ? PREFIX.length + values.length : values.length - nl - 1;
  const spacer = lastLine + meta.length + 3 > LINE_WIDTH ? ",\n" + " ".repeat(PREFIX.length) : ", ";
  return `${PREFIX}${values}${spacer}${meta})`;
}
