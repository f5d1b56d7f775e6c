/**
 * The built site in a cross-origin isolated page: every page loads cleanly, training in the tab
 * learns MNIST, a traced test digit is classified, weights survive a reload and a
 * download/upload round trip, the worker runs two wasm threads, and nothing breaks without WebGPU.
 */
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { loadBundledMnist } from "@tessera/data";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { collectErrors, recordSpeed, train } from "./helpers.js";

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;
let errors: string[];

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  errors = collectErrors(page);
});
test.afterAll(async () => context.close());

test("every page loads with no console error, isolated", async () => {
  for (const route of ["#/train", "#/draw", "#/course", "#/bench"]) {
    await page.goto(route);
    await expect(page.locator("main h2")).toBeVisible();
  }
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.goto("#/train");
  await expect(page.locator("#train-threads option[value='2']")).toBeEnabled();
  expect(errors).toEqual([]);
});

test("the course page's sgemm equals the course's output and a summary table is drawn", async () => {
  await page.goto("#/course");
  await expect(page.locator("#course-check")).toHaveAttribute("data-ok", "true");
  const out = await page.locator("#course-output td").allTextContents();
  expect(out.map(Number)).toEqual([51, 66, 20, 31, 49, 101, 15, 53, -2]);
  await page.selectOption("#summary-model", "lenet5");
  await page.click("#summary-run");
  await expect(page.locator("#summary-table caption")).toContainText("61,706 parameters");
  expect(errors).toEqual([]);
});

test("training a few hundred steps in the tab (2 wasm threads) reaches over 90 % test accuracy", async () => {
  // 3 epochs of 8,000 digits, batch 64: 375 steps, seed 0
  const r = await train(page, { epochs: 3, threads: 2 });
  expect(r.threads).toBe(2);
  expect(r.accuracy).toBeGreaterThan(0.9);
  await expect(page.locator("#train-threads-used")).toHaveText("wasm (2 threads)");
  // The README's screenshot is replaced only on request (UPDATE_SCREENSHOT=1), so a test run leaves the clone clean.
  const shot = process.env.UPDATE_SCREENSHOT === "1" ? "../screenshot.png" : "../test-results/train.png";
  await page.screenshot({ path: fileURLToPath(new URL(shot, import.meta.url)), fullPage: true });
  recordSpeed("wasm, 2 threads (isolated)", { imagesPerSecond: r.imagesPerSecond, testAccuracy: r.accuracy, epochs: 3 });
  expect(errors).toEqual([]);
});

/** Traces `pixels` (28×28, 0–255) on the drawing canvas as horizontal strokes over the inked runs. */
async function traceDigit(p: Page, pixels: Uint8Array): Promise<void> {
  const box = (await p.locator("#draw-canvas").boundingBox())!;
  const s = box.width / 28;
  for (let r = 0; r < 28; r++) {
    for (let c = 0; c < 28; c++) {
      if (pixels[r * 28 + c] <= 127) continue;
      let e = c;
      while (e + 1 < 28 && pixels[r * 28 + e + 1] > 127) e++;
      const y = box.y + (r + 0.5) * s;
      await p.mouse.move(box.x + (c + 0.5) * s, y);
      await p.mouse.down();
      await p.mouse.move(box.x + (e + 0.5) * s, y, { steps: Math.max(1, e - c) });
      await p.mouse.up();
      c = e;
    }
  }
}

test("a test digit traced with the pointer is classified correctly by the trained model", async () => {
  const { test: testSet } = await loadBundledMnist();
  await page.goto("#/draw");
  await expect(page.locator("#draw-model")).toHaveAttribute("data-model", "lenet5");
  // the first five digits of the test split (seed 0), whatever they are
  for (let i = 0; i < 5; i++) {
    await page.click("#draw-clear");
    await expect(page.locator("#draw-prediction")).toHaveAttribute("data-value", "");
    await traceDigit(page, testSet.images.subarray(i * 784, (i + 1) * 784) as Uint8Array);
    await expect(page.locator("#draw-prediction")).toHaveAttribute("data-value", String(testSet.labels[i]));
  }
  // the keyboard pen: Space down, ten steps down, Space up draws a vertical bar, a one
  await page.focus("#draw-canvas");
  await page.keyboard.press("Escape");
  await expect(page.locator("#draw-prediction")).toHaveAttribute("data-value", "");
  await page.keyboard.press("Space");
  for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Space");
  await expect(page.locator("#draw-prediction")).toHaveAttribute("data-value", "1");
  expect(errors).toEqual([]);
});

test("weights survive a reload (IndexedDB) and a download/upload round trip byte for byte", async () => {
  await page.goto("#/train");
  const [first] = await Promise.all([page.waitForEvent("download"), page.click("#train-download")]);
  const trained = readFileSync((await first.path())!);
  expect(first.suggestedFilename()).toBe("lenet5.safetensors");

  await page.reload();
  await page.goto("#/draw");
  await expect(page.locator("#draw-model")).toHaveAttribute("data-model", "lenet5");
  const [stored] = await Promise.all([page.waitForEvent("download"), page.click("#draw-download")]);
  expect(readFileSync((await stored.path())!).equals(trained)).toBe(true);

  // a fresh context has an empty IndexedDB: the page asks for a model, the upload brings it back
  const other = await context.browser()!.newContext({ acceptDownloads: true });
  const p2 = await other.newPage();
  const errors2 = collectErrors(p2);
  await p2.goto("#/draw");
  await expect(p2.locator("#draw-model")).toContainText("No model yet");
  await p2.setInputFiles("#draw-upload", (await first.path())!);
  await expect(p2.locator("#draw-model")).toHaveAttribute("data-model", "lenet5");
  const [again] = await Promise.all([p2.waitForEvent("download"), p2.click("#draw-download")]);
  expect(readFileSync((await again.path())!).equals(trained)).toBe(true);
  await p2.reload();
  await expect(p2.locator("#draw-model")).toHaveAttribute("data-model", "lenet5");
  expect(errors2).toEqual([]);
  await other.close();
  expect(errors).toEqual([]);
});

test("in-tab training speed with 1 and 2 wasm threads, interleaved (recorded, not asserted)", async () => {
  // one epoch of 4,000 digits per run, thread counts alternating so a busy machine's drift hits both
  const samples: Record<number, number[]> = { 1: [], 2: [] };
  for (const threads of [2, 1, 2, 1]) {
    const r = await train(page, { epochs: 1, threads, trainSize: 4000 });
    expect(r.threads).toBe(threads);
    samples[threads].push(r.imagesPerSecond);
  }
  // the best run is the one least disturbed by whatever else the machine was doing
  for (const t of [1, 2]) recordSpeed(`wasm, ${t} thread${t > 1 ? "s" : ""} (isolated), 1 epoch of 4,000 digits, best of 2`, { imagesPerSecond: Math.max(...samples[t]), samples: samples[t] });
  expect(errors).toEqual([]);
});

test("pause holds training between two steps, resume finishes the run", async () => {
  await page.goto("#/train");
  await page.selectOption("#train-threads", "1");
  await page.fill("#train-epochs", "3");
  await page.fill("#train-size", "8000");
  await page.click("#train-start");
  const progress = page.locator("#train-progress-text");
  await expect(progress).toContainText(/step ([3-9]|\d\d+)\//);
  await page.click("#train-pause");
  await expect(page.locator("#train-state")).toHaveAttribute("data-state", "paused");
  await expect(page.locator("#train-pause")).toHaveText("Resume");
  const at = await progress.textContent();
  await page.waitForTimeout(1500); // a step takes milliseconds: none may run while paused
  expect(await progress.textContent()).toBe(at);
  expect(at).not.toContain("step 375/375");
  await page.click("#train-pause");
  await expect(page.locator("#train-state")).toHaveAttribute("data-state", "done");
  await expect(progress).toContainText("step 375/375");
  expect(errors).toEqual([]);
});

test("the benchmark page measures each device and TensorFlow.js's wasm backend, loaded on demand", async () => {
  const scripts: string[] = [];
  page.on("request", (r) => scripts.push(r.url()));
  await page.goto("#/bench");
  await page.click("#bench-run");
  await expect(page.locator("#bench-status")).toHaveAttribute("data-state", "done");
  const rows = await page.locator("#bench-rows tr").allTextContents();
  expect(rows.length).toBe(4); // js, wasm 1 thread, wasm 2 threads, tfjs (no WebGPU adapter in headless Chromium)
  expect(rows.join("\n")).not.toContain("failed");
  expect(scripts.some((u) => /tfjs-backend-wasm.*\.wasm$/.test(u))).toBe(true);
  const cells = await page.locator("#bench-rows tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
  recordSpeed("benchmark page (sgemm 512³ GFLOP/s, LeNet-5 training images/s)", { rows: cells });
  expect(errors).toEqual([]);
});

test("no uncaught error when WebGPU is absent (navigator.gpu removed)", async ({ browser }) => {
  const ctx = await browser.newContext();
  await ctx.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "gpu", { get: () => undefined, configurable: true });
  });
  const p = await ctx.newPage();
  const errs = collectErrors(p);
  await p.goto("#/train");
  expect(await p.evaluate(() => (navigator as { gpu?: unknown }).gpu)).toBeUndefined();
  await expect(p.locator("#train-device option[value='webgpu']")).toHaveText("WebGPU (no adapter in this browser)");
  await expect(p.locator("#train-device option[value='webgpu']")).toBeDisabled();
  const r = await train(p, { epochs: 1, trainSize: 640 });
  expect(r.threads).toBe(2);
  await p.goto("#/bench");
  await p.click("#bench-run");
  await expect(p.locator("#bench-status")).toHaveAttribute("data-state", "done");
  expect(errs).toEqual([]);
  await ctx.close();
});

test("on a phone-sized screen (390×844) no page scrolls sideways", async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const p = await ctx.newPage();
  const errs = collectErrors(p);
  for (const route of ["#/train", "#/draw", "#/course", "#/bench"]) {
    await p.goto(route);
    await expect(p.locator("main h2")).toBeVisible();
    const [scroll, width] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scroll, `${route} is ${scroll}px wide in a ${width}px screen`).toBeLessThanOrEqual(width);
  }
  await p.goto("#/train");
  await p.screenshot({ path: fileURLToPath(new URL("../test-results/phone-train.png", import.meta.url)), fullPage: true });
  await p.goto("#/draw");
  await p.screenshot({ path: fileURLToPath(new URL("../test-results/phone-draw.png", import.meta.url)), fullPage: true });
  expect(errs).toEqual([]);
  await ctx.close();
});
