import type { Conv2dGeometry } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitTasks } from "./conv-implicit.js";
import type { WasmEngine } from "./engine.js";
import { CJ } from "./layout.generated.js";
import { WasmDevice } from "./wasm-device.js";

/** Geometry of one group with the output size from the course's formula. */
function geometry(C: number, H: number, k: number, stride: number, pad: number): Conv2dGeometry {
  const out = Math.floor((H + 2 * pad - k) / stride) + 1;
  return {
    C, H, W: H, KH: k, KW: k, strideH: stride, strideW: stride, padTop: pad, padLeft: pad, padBottom: pad, padRight: pad,
    dilationH: 1, dilationW: 1, OH: out, OW: out,
  };
}

/** The convolutions of ResNet-18, VGG-16 and AlexNet at 224×224: [label, C, OC, H, kernel, stride, pad]. */
const LAYERS: [string, number, number, number, number, number, number][] = [
  ["ResNet-18 stem", 3, 64, 224, 7, 2, 3], ["ResNet-18 layer1", 64, 64, 56, 3, 1, 1], ["ResNet-18 layer2.0", 64, 128, 56, 3, 2, 1],
  ["ResNet-18 layer2 downsample", 64, 128, 56, 1, 2, 0], ["ResNet-18 layer2", 128, 128, 28, 3, 1, 1],
  ["ResNet-18 layer3.0", 128, 256, 28, 3, 2, 1], ["ResNet-18 layer3 downsample", 128, 256, 28, 1, 2, 0],
  ["ResNet-18 layer3", 256, 256, 14, 3, 1, 1], ["ResNet-18 layer4.0", 256, 512, 14, 3, 2, 1],
  ["ResNet-18 layer4 downsample", 256, 512, 14, 1, 2, 0], ["ResNet-18 layer4", 512, 512, 7, 3, 1, 1],
  ["VGG-16 conv1_1", 3, 64, 224, 3, 1, 1], ["VGG-16 conv1_2", 64, 64, 224, 3, 1, 1], ["VGG-16 conv2_1", 64, 128, 112, 3, 1, 1],
  ["VGG-16 conv2_2", 128, 128, 112, 3, 1, 1], ["VGG-16 conv3_1", 128, 256, 56, 3, 1, 1], ["VGG-16 conv3_2", 256, 256, 56, 3, 1, 1],
  ["VGG-16 conv4_1", 256, 512, 28, 3, 1, 1], ["VGG-16 conv4_2", 512, 512, 28, 3, 1, 1], ["VGG-16 conv5", 512, 512, 14, 3, 1, 1],
  ["AlexNet conv1", 3, 64, 224, 11, 4, 2], ["AlexNet conv2", 64, 192, 27, 5, 1, 2], ["AlexNet conv3", 192, 384, 13, 3, 1, 1],
  ["AlexNet conv4", 384, 256, 13, 3, 1, 1], ["AlexNet conv5", 256, 256, 13, 3, 1, 1],
];

describe("splitTasks: the implicit GEMM's tasks at batch 1", () => {
  for (const threads of [2, 3, 4]) {
    it(`gives each of ${threads} threads about equal work on every ResNet-18, VGG-16 and AlexNet layer`, () => {
      const unfair: string[] = [];
      for (const [label, C, OC, H, k, s, p] of LAYERS) {
        const g = geometry(C, H, k, s, p), P = g.OH * g.OW, panels = Math.ceil(OC / 8);
        const { chunk, chunks, block, cblocks } = splitTasks(1, P, panels, C * k * k, threads);
        // Work of each task in 4×8 tiles; the blocks' panel ranges as the kernel cuts them.
        const work: number[] = [];
        let panelsSeen = 0;
        for (let cb = 0; cb < cblocks; cb++) {
          const n = Math.floor(((cb + 1) * panels) / cblocks) - Math.floor((cb * panels) / cblocks);
          expect(n, `${label}: block ${cb}`).toBeGreaterThanOrEqual(1);
          expect(n, `${label}: block ${cb}`).toBeLessThanOrEqual(block);
          panelsSeen += n;
          let pixels = 0;
          const tiles = Math.ceil(P / 4);
          for (let c = 0; c < chunks; c++) {
            const p0 = 4 * Math.floor((c * tiles) / chunks), p1 = Math.min(P, 4 * Math.floor(((c + 1) * tiles) / chunks));
            expect(p1 - p0, `${label}: chunk ${c}`).toBeGreaterThan(0);
            expect(p1 - p0, `${label}: chunk ${c}`).toBeLessThanOrEqual(chunk);
            pixels += p1 - p0;
            work.push(Math.ceil((p1 - p0) / 4) * n);
          }
          expect(pixels, label).toBe(P);
        }
        expect(panelsSeen, label).toBe(panels);
        // The threads take tasks in ticket order, each the next one when it is free (equal speed).
        const load = new Array<number>(threads).fill(0);
        for (const w of work) load[load.indexOf(Math.min(...load))] += w;
        const share = work.reduce((a, b) => a + b, 0) / threads / Math.max(...load);
        if (share < 0.9) unfair.push(`${label}: ${work.length} tasks, the busiest thread does ${(1 / share).toFixed(2)}× its share`);
      }
      expect(unfair).toEqual([]);
    });
  }

  it("keeps to one task per image on one thread, and cuts a 56×56 image into pixel chunks, a 7×7 one into channel blocks", () => {
    expect(splitTasks(3, 3136, 8, 576, 1)).toEqual({ chunk: 3136, chunks: 1, block: 8, cblocks: 1 });
    expect(splitTasks(1, 3136, 8, 576, 2)).toEqual({ chunk: 196, chunks: 16, block: 8, cblocks: 1 });
    expect(splitTasks(1, 49, 64, 2304, 2)).toEqual({ chunk: 49, chunks: 1, block: 4, cblocks: 16 });
    // 14×14: 3 chunks of 64–68 pixels, 7 blocks of 4–5 panels.
    expect(splitTasks(1, 196, 32, 2304, 2)).toEqual({ chunk: 68, chunks: 3, block: 5, cblocks: 7 });
    // 64 panels of K = 4608 take 9.4 MB packed: blocks of 28 panels at most (4 MiB), on one thread too.
    expect(splitTasks(1, 49, 64, 4608, 1)).toEqual({ chunk: 49, chunks: 1, block: 22, cblocks: 3 });
  });
});

/** The engine of a device, to watch the jobs it runs. */
const engineOf = (dev: WasmDevice) => (dev as unknown as { engine: WasmEngine }).engine;

describe("a convolution with a 7×7 output at batch 1 on two threads", () => {
  let one: WasmDevice, two: WasmDevice;
  beforeAll(async () => {
    one = await WasmDevice.create({ threads: 1, register: false });
    two = await WasmDevice.create({ threads: 2, register: false });
  });
  afterAll(() => {
    one.dispose();
    two.dispose();
  });

  /** Runs convForward or convBackwardData of 64 → 96 channels, 3×3, pad 1 on one 7×7 image; returns the result's bits and the jobs' threads and tasks. */
  function run(dev: WasmDevice, pass: "forward" | "backward-data"): { bits: Uint32Array; jobs: [number, number][] } {
    const g = geometry(64, 7, 3, 1, 1), OC = 96, CHW = 64 * 49, K = 576, P = 49;
    const x = dev.alloc(CHW), w = dev.alloc(OC * K), y = dev.alloc(OC * P);
    dev.write(x, testData(CHW, 1));
    dev.write(w, testData(OC * K, 2));
    dev.write(y, testData(OC * P, 3));
    const e = engineOf(dev);
    const jobs: [number, number][] = [];
    const original = e.runConvJob;
    e.runConvJob = (job, active, kind) => {
      jobs.push([active, e.heap.i32()[(job >>> 2) + CJ.TASKS]]);
      original.call(e, job, active, kind);
    };
    try {
      if (pass === "forward") expect(dev.convForward(g, 1, OC, x, 0, CHW, w, 0, null, 0, y, 0, OC * P)).toBe(true);
      else expect(dev.convBackwardData(g, 1, OC, w, 0, y, 0, OC * P, x, 0, CHW)).toBe(true);
    } finally {
      e.runConvJob = original;
    }
    const bits = new Uint32Array((dev.readSync(pass === "forward" ? y : x) as Float32Array).slice().buffer);
    for (const b of [x, w, y]) dev.free(b);
    return { bits, jobs };
  }

  for (const pass of ["forward", "backward-data"] as const) {
    it(`${pass}: runs on both threads, in output-channel blocks, with the single thread's bits`, () => {
      const a = run(one, pass), b = run(two, pass);
      expect(b.jobs.length).toBe(1);
      const [active, tasks] = b.jobs[0];
      expect(active).toBe(2);
      expect(tasks).toBeGreaterThanOrEqual(8);
      expect(b.bits).toEqual(a.bits);
    });
  }
});
