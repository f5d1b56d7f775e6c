/** A few lines of DOM building instead of a framework. */

type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;
type Child = Node | string | number | null | undefined | false;

/** Creates an element: attributes (`on*` are listeners, `false`/undefined skipped) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.slice(2).toLowerCase(), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** A labelled form control: `<label for=id>text</label>` followed by the control. */
export function field(label: string, control: HTMLElement): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control);
}

/** A `<select>` with `options` as [value, text, disabled?]. */
export function select(id: string, options: readonly (readonly [string, string, boolean?])[], value?: string): HTMLSelectElement {
  const s = h("select", { id, name: id });
  for (const [v, t, disabled] of options) s.append(h("option", { value: v, disabled }, t));
  if (value !== undefined) s.value = value;
  return s;
}

/** Formats a number with `digits` fraction digits and thin-space thousands. */
export function fmt(v: number, digits = 0): string {
  return Number.isFinite(v) ? v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–";
}

/** Whether WebGPU gives an adapter here; false (never an error) when it is absent. */
export async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

/** Whether this context may run wasm threads (shared memory needs cross-origin isolation). */
export function isIsolated(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/** Offers `blob` as a file download named `file`. */
export function downloadBlob(blob: Blob, file: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
