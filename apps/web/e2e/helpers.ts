/** Shared helpers of the end-to-end tests. */
import { expect, type Page } from "@playwright/test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Collects console errors and uncaught page errors of `page` (and its workers). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("worker", (w) => w.on("console", (m) => {
    if (m.type() === "error") errors.push(`worker console: ${m.text()}`);
  }));
  return errors;
}

/** Settings of one training run on the Train page. */
export interface TrainSettings {
  readonly model?: string;
  readonly threads?: number;
  readonly epochs: number;
  readonly trainSize?: number;
}

/** Trains on the Train page and waits for the end; returns the reported test accuracy, images/s and threads. */
export async function train(page: Page, s: TrainSettings): Promise<{ accuracy: number; imagesPerSecond: number; threads: number }> {
  await page.goto("#/train");
  await page.selectOption("#train-model", s.model ?? "lenet5");
  await page.selectOption("#train-device", "wasm");
  if (s.threads !== undefined) await page.selectOption("#train-threads", String(s.threads));
  await page.fill("#train-epochs", String(s.epochs));
  await page.fill("#train-size", String(s.trainSize ?? 8000));
  await page.click("#train-start");
  const state = page.locator("#train-state");
  await expect(state).toHaveAttribute("data-state", /^(done|error)$/);
  expect(await state.textContent()).not.toMatch(/^Error/);
  await expect(state).toHaveAttribute("data-state", "done");
  const num = async (sel: string) => Number(await page.locator(sel).getAttribute("data-value"));
  return { accuracy: await num("#test-accuracy"), imagesPerSecond: await num("#images-per-second"), threads: await num("#train-threads-used") };
}

const RESULTS = fileURLToPath(new URL("../test-results/images-per-second.json", import.meta.url));

/** Merges `entry` into test-results/images-per-second.json (measured in-tab training speed). */
export function recordSpeed(key: string, entry: Record<string, unknown>): void {
  mkdirSync(fileURLToPath(new URL("../test-results/", import.meta.url)), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(RESULTS, "utf8")) as Record<string, unknown>;
  } catch {
    // first entry
  }
  all[key] = { ...entry, recorded: new Date().toISOString() };
  writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
}
