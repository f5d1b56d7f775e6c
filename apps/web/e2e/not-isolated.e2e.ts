/** The built site served without COOP/COEP: not cross-origin isolated, so the worker runs one wasm thread. */
import { expect, test } from "@playwright/test";
import { collectErrors, recordSpeed, train } from "./helpers.js";

test("without isolation the page loads cleanly and trains on one wasm thread", async ({ page }) => {
  const errors = collectErrors(page);
  for (const route of ["#/train", "#/draw", "#/course", "#/bench"]) {
    await page.goto(route);
    await expect(page.locator("main h2")).toBeVisible();
  }
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await page.goto("#/train");
  await expect(page.locator("#train-threads option[value='2']")).toBeDisabled();
  await expect(page.locator("#train-env")).toContainText("no (one wasm thread)");
  // an emptied field is an error the page shows, not a run of zero epochs
  await page.fill("#train-epochs", "");
  await page.click("#train-start");
  await expect(page.locator("#train-state")).toHaveAttribute("data-state", "error");
  await expect(page.locator("#train-state")).toContainText("train: epochs must be an integer in [1, 1000], got 0");
  expect(errors.splice(0)).toEqual(["console: train: epochs must be an integer in [1, 1000], got 0"]);
  const r = await train(page, { epochs: 1 });
  expect(r.threads).toBe(1);
  await expect(page.locator("#train-threads-used")).toHaveText("wasm (1 thread)");
  recordSpeed("wasm, 1 thread (not isolated)", { imagesPerSecond: r.imagesPerSecond, testAccuracy: r.accuracy, epochs: 1 });
  expect(errors).toEqual([]);
});
