/**
 * A small dependency-free SVG line chart of training curves (loss and accuracy per epoch).
 */

/** One named series of y values over epochs 1…n. */
export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  readonly color: string;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

function panel(x0: number, title: string, series: readonly Series[], w: number, h: number): string[] {
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const lo = Math.min(...all, Infinity);
  const hi = Math.max(...all, -Infinity);
  const span = hi - lo || 1;
  const n = Math.max(...series.map((s) => s.values.length), 1);
  const px = (i: number) => x0 + 50 + (n === 1 ? 0 : (i / (n - 1)) * (w - 70));
  const py = (v: number) => 40 + (1 - (v - lo) / span) * (h - 80);
  const out = [`<text x="${x0 + 50}" y="24" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<line x1="${x0 + 50}" y1="${h - 40}" x2="${x0 + w - 20}" y2="${h - 40}" stroke="#999"/>`,
    `<line x1="${x0 + 50}" y1="40" x2="${x0 + 50}" y2="${h - 40}" stroke="#999"/>`,
    `<text x="${x0 + 45}" y="44" text-anchor="end" font-size="10">${hi.toPrecision(3)}</text>`,
    `<text x="${x0 + 45}" y="${h - 40}" text-anchor="end" font-size="10">${lo.toPrecision(3)}</text>`,
    `<text x="${x0 + w / 2}" y="${h - 12}" text-anchor="middle" font-size="11">epoch (1…${n})</text>`];
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => (Number.isFinite(v) ? `${px(i).toFixed(1)},${py(v).toFixed(1)}` : "")).filter(Boolean).join(" ");
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>`);
    out.push(`<text x="${x0 + w - 20}" y="${56 + 14 * k}" text-anchor="end" font-size="11" fill="${s.color}">${esc(s.name)}</text>`);
  });
  return out;
}

/** Two panels side by side: losses and accuracies. */
export function curvesSvg(title: string, losses: readonly Series[], accuracies: readonly Series[]): string {
  const w = 420;
  const h = 300;
  return [`<svg xmlns="http://www.w3.org/2000/svg" width="${2 * w}" height="${h + 20}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="${h + 14}" font-size="11" fill="#555">${esc(title)}</text>`,
    ...panel(0, "loss", losses, w, h), ...panel(w, "accuracy", accuracies, w, h), "</svg>\n"].join("\n");
}
