/** With a WebGPU adapter (SwiftShader in headless Chromium), the site offers the device and trains on it. */
import { expect, test } from "@playwright/test";
import { collectErrors } from "./helpers.js";

test("WebGPU is offered when there is an adapter, and a short run trains on it", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("#/train");
  const option = page.locator("#train-device option[value='webgpu']");
  await expect(option).toHaveText("WebGPU");
  await expect(option).toBeEnabled();
  await page.selectOption("#train-device", "webgpu");
  await expect(page.locator("#train-threads")).toBeDisabled();
  await page.fill("#train-epochs", "1");
  await page.fill("#train-size", "640");
  await page.click("#train-start");
  const state = page.locator("#train-state");
  await expect(state).toHaveAttribute("data-state", /^(done|error)$/);
  expect(await state.textContent()).not.toMatch(/^Error/);
  await expect(page.locator("#train-threads-used")).toHaveText("webgpu");
  // 10 steps of Adam: far above chance (0.1) only if the GPU computed the gradients
  const acc = Number(await page.locator("#test-accuracy").getAttribute("data-value"));
  expect(acc).toBeGreaterThan(0.3);
  // the benchmark page adds a WebGPU row and measures it (tfjs left out: the isolated project runs it)
  await page.goto("#/bench");
  await page.uncheck("#bench-tfjs");
  await page.click("#bench-run");
  await expect(page.locator("#bench-status")).toHaveAttribute("data-state", "done");
  const rows = await page.locator("#bench-rows tr").allTextContents();
  expect(rows.some((r) => r.startsWith("Tessera webgpu"))).toBe(true);
  expect(rows.join("\n")).not.toContain("failed");
  expect(errors).toEqual([]);
});
