/**
 * A dependency-free grouped horizontal bar chart in SVG: one group per case, one bar per system.
 */
import type { SuiteResult } from "./harness.js";

const COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Renders `r` as an SVG document. */
export function chartSvg(r: SuiteResult, subtitle: string): string {
  const systems = [...new Set(r.rows.map((x) => x.system))];
  const cases = [...new Set(r.rows.map((x) => x.case))];
  const max = Math.max(1e-9, ...r.rows.map((x) => (Number.isFinite(x.value) ? x.value : 0)));
  const bar = 14;
  const gap = 10;
  const left = 260;
  const width = 900;
  const plot = width - left - 80;
  const groupH = systems.length * bar + gap;
  const top = 60;
  const legendH = 20 * Math.ceil(systems.length / 3);
  const height = top + cases.length * groupH + legendH + 30;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="16" font-weight="bold">${esc(r.title)} (${esc(r.unit)})</text>`,
    `<text x="10" y="42" fill="#555">${esc(subtitle)}</text>`,
  ];
  cases.forEach((c, ci) => {
    const y0 = top + ci * groupH;
    out.push(`<text x="${left - 8}" y="${y0 + (systems.length * bar) / 2 + 4}" text-anchor="end">${esc(c)}</text>`);
    systems.forEach((s, si) => {
      const row = r.rows.find((x) => x.case === c && x.system === s);
      if (!row) return;
      const w = Math.max(1, (row.value / max) * plot);
      const y = y0 + si * bar;
      out.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${bar - 2}" fill="${COLORS[si % COLORS.length]}"/>`);
      out.push(`<text x="${left + w + 4}" y="${y + bar - 4}" font-size="10">${row.value.toFixed(1)}</text>`);
    });
  });
  const ly = top + cases.length * groupH + 10;
  systems.forEach((s, i) => {
    const x = 10 + (i % 3) * 290;
    const y = ly + Math.floor(i / 3) * 20;
    out.push(`<rect x="${x}" y="${y}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`);
    out.push(`<text x="${x + 18}" y="${y + 10}">${esc(s)}</text>`);
  });
  out.push("</svg>\n");
  return out.join("\n");
}
