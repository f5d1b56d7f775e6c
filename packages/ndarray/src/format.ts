/**
 * NumPy-like text for arrays: aligned columns, wrapped rows, elision of large arrays.
 */
import type { DType } from "./dtype.js";
import type { NDArray } from "./ndarray.js";
import { formatShape } from "./shape.js";

/** Arrays with more elements than this are printed elided. */
const PRINT_THRESHOLD = 1000;
/** Elements kept at each end of an axis when printing elided. */
const EDGE_ITEMS = 3;
/** Target line width, as NumPy's default. */
const LINE_WIDTH = 75;
/** Most digits printed after the decimal point (NumPy's default precision). */
const PRECISION = 8;
const PREFIX = "array(";

/** The shortest decimal that reads back to `v` in the given dtype. */
function shortest(v: number, dtype: DType): number {
  if (dtype !== "float32") return v;
  for (let p = 1; p < 10; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return s;
  }
  return v;
}

function fractionDigits(text: string): number {
  const mantissa = text.split("e")[0];
  const dot = mantissa.indexOf(".");
  return dot < 0 ? 0 : mantissa.length - dot - 1;
}

/** Chooses one notation for all shown values, NumPy style, and returns the element formatter. */
function makeFormatter(values: readonly number[], dtype: DType): (v: number) => string {
  const special = (v: number): string => (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
  if (dtype === "int32") return String;
  const finite = values.filter(Number.isFinite).map((v) => shortest(v, dtype));
  const abs = finite.map(Math.abs).filter((v) => v > 0);
  const maxAbs = abs.length > 0 ? Math.max(...abs) : 0;
  const minAbs = abs.length > 0 ? Math.min(...abs) : 0;
  if (finite.every(Number.isInteger) && maxAbs < 1e16) {
    return (v) => (Number.isFinite(v) ? String(v === 0 ? 0 : v) : special(v));
  }
  if (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1e3) {
    const digits = Math.min(PRECISION, Math.max(0, ...finite.map((v) => fractionDigits(v.toExponential()))));
    return (v) => {
      if (!Number.isFinite(v)) return special(v);
      const [m, e] = shortest(v, dtype).toExponential(digits).split("e");
      return `${m}${digits === 0 ? "." : ""}e${e[0]}${e.slice(1).padStart(2, "0")}`;
    };
  }
  // Fixed notation: shortest digits (at most PRECISION after the point), points aligned by
  // padding the fraction with spaces, as NumPy does.
  const rounded = (v: number): string => {
    const t = String(Number(shortest(v, dtype).toFixed(PRECISION)));
    return t.includes(".") ? t : t + ".";
  };
  const digits = Math.max(...finite.map((v) => fractionDigits(rounded(v))));
  return (v) => {
    if (!Number.isFinite(v)) return special(v);
    const t = rounded(v);
    return t + " ".repeat(digits - fractionDigits(t));
  };
}

/** Indices shown along an axis of length n: all, or the edges with `null` marking the gap. */
function shownIndices(n: number, summarize: boolean): Array<number | null> {
  if (!summarize || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, null, ...tail];
}

/** Appends `word` to the current line, wrapping first when the line would grow past `width`. */
function extendLine(state: { s: string; line: string }, word: string, width: number, indent: string): void {
  if (state.line.length + word.length > width && state.line.length > indent.length) {
    state.s += state.line.trimEnd() + "\n";
    state.line = indent;
  }
  state.line += word;
}

/**
 * Formats an array as NumPy's `repr` would: `array([[1, 2, 3],\n       [4, 5, 6]], dtype=float32)`.
 * Arrays above `PRINT_THRESHOLD` elements show only the first and last 3 entries per axis.
 */
export function formatArray(a: NDArray): string {
  const suffix = `dtype=${a.dtype})`;
  if (a.ndim === 0) return `${PREFIX}${makeFormatter([a.get()], a.dtype)(a.get())}, ${suffix}`;
  if (a.size === 0) {
    return a.ndim === 1 ? `${PREFIX}[], ${suffix}` : `${PREFIX}[], shape=${formatShape(a.shape)}, ${suffix}`;
  }
  const summarize = a.size > PRINT_THRESHOLD;
  const shown = a.shape.map((n) => shownIndices(n, summarize));

  const values: number[] = [];
  const collect = (axis: number, p: number): void => {
    if (axis === a.ndim) {
      values.push(a.data[p]);
      return;
    }
    for (const i of shown[axis]) if (i !== null) collect(axis + 1, p + i * a.strides[axis]);
  };
  collect(0, a.offset);
  const fmt = makeFormatter(values, a.dtype);
  const width = Math.max(...values.map((v) => fmt(v).length));
  const word = (v: number): string => fmt(v).padStart(width);

  const render = (axis: number, p: number, indent: string, lineWidth: number): string => {
    const axesLeft = a.ndim - axis;
    const items = shown[axis];
    const child = (i: number | null, w: number): string =>
      i === null ? "..." : axesLeft === 1 ? word(a.data[p + i * a.strides[axis]]) : render(axis + 1, p + i * a.strides[axis], indent + " ", w);
    let body: string;
    if (axesLeft === 1) {
      const state = { s: "", line: indent };
      items.forEach((i, k) => {
        const last = k === items.length - 1;
        extendLine(state, child(i, 0), last ? lineWidth : lineWidth - 1, indent);
        if (!last) state.line += ", ";
      });
      body = state.s + state.line;
    } else {
      const sep = "," + "\n".repeat(axesLeft - 1);
      body = items.map((i) => indent + child(i, lineWidth - 1)).join(sep);
    }
    return "[" + body.slice(indent.length) + "]";
  };

  const text = PREFIX + render(0, a.offset, " ".repeat(PREFIX.length + 1), LINE_WIDTH - 1) + ",";
  const lastLine = text.length - (text.lastIndexOf("\n") + 1);
  const spacer = lastLine + suffix.length + 1 > LINE_WIDTH ? "\n" + " ".repeat(PREFIX.length) : " ";
  return text + spacer + suffix;
}
