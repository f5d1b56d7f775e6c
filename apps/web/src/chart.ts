/** A small SVG line chart: one or more series over a shared x axis, redrawn at most once a frame. */

const NS = "http://www.w3.org/2000/svg";

/** One series: its name, colour class and points. */
interface Series {
  readonly name: string;
  readonly cls: string;
  readonly points: [number, number][];
  readonly path: SVGPathElement;
}

/** A line chart with fixed y range [`yMin`, `yMax`] and an x range that grows with the data. */
export class LineChart {
  readonly svg: SVGSVGElement;
  private readonly series = new Map<string, Series>();
  private xMax = 1;
  private pending = false;
  private readonly w = 320;
  private readonly hgt = 160;
  private readonly pad = 28;

  constructor(title: string, private readonly yMin: number, private readonly yMax: number, names: readonly (readonly [string, string])[]) {
    this.svg = document.createElementNS(NS, "svg");
    this.svg.setAttribute("viewBox", `0 0 ${this.w} ${this.hgt}`);
    this.svg.setAttribute("role", "img");
    this.svg.setAttribute("aria-label", title);
    this.svg.classList.add("chart");
    const axis = document.createElementNS(NS, "path");
    axis.setAttribute("d", `M${this.pad},4 V${this.hgt - this.pad} H${this.w - 4}`);
    axis.setAttribute("class", "axis");
    this.svg.append(axis);
    for (const [v, y] of [[yMax, 10], [yMin, this.hgt - this.pad]] as const) {
      const t = document.createElementNS(NS, "text");
      t.setAttribute("x", "2");
      t.setAttribute("y", String(y));
      t.textContent = String(v);
      this.svg.append(t);
    }
    names.forEach(([name, cls], i) => {
      const path = document.createElementNS(NS, "path");
      path.setAttribute("class", `line ${cls}`);
      this.svg.append(path);
      const label = document.createElementNS(NS, "text");
      label.setAttribute("x", String(this.pad + 6 + i * 110));
      label.setAttribute("y", String(this.hgt - 6));
      label.setAttribute("class", cls);
      label.textContent = `— ${name}`;
      this.svg.append(label);
      this.series.set(name, { name, cls, points: [], path });
    });
  }

  /** Adds a point to series `name` (x grows the axis). */
  add(name: string, x: number, y: number): void {
    const s = this.series.get(name);
    if (!s) throw new RangeError(`LineChart.add: no series "${name}"`);
    s.points.push([x, y]);
    this.xMax = Math.max(this.xMax, x);
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => this.draw());
    }
  }

  /** Empties every series. */
  clear(): void {
    for (const s of this.series.values()) s.points.length = 0;
    this.xMax = 1;
    this.draw();
  }

  private draw(): void {
    this.pending = false;
    const { w, hgt, pad, yMin, yMax } = this;
    const X = (x: number) => pad + ((w - pad - 4) * x) / this.xMax;
    const Y = (y: number) => 4 + (hgt - pad - 4) * (1 - (Math.min(Math.max(y, yMin), yMax) - yMin) / (yMax - yMin));
    for (const s of this.series.values()) {
      // at most ~2 points per horizontal unit: long runs stay cheap to draw
      const stride = Math.max(1, Math.floor(s.points.length / (2 * w)));
      let d = "";
      for (let i = 0; i < s.points.length; i += stride) d += `${i === 0 ? "M" : "L"}${X(s.points[i][0]).toFixed(1)},${Y(s.points[i][1]).toFixed(1)}`;
      s.path.setAttribute("d", d);
    }
  }
}
