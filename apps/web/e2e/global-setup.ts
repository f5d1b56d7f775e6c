/** Starts each e2e run with no speed file, so test-results/images-per-second.json holds this run's numbers only. */
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

export default function globalSetup(): void {
  rmSync(fileURLToPath(new URL("../test-results/images-per-second.json", import.meta.url)), { force: true });
}
