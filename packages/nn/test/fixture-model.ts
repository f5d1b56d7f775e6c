/**
 * The small model whose weights and checkpoint are committed as fixtures (written by Node's
 * `saveWeights` and the checkpoint codec): the same module, built in Node or in a browser, must
 * give the same bytes. Every value is set from a formula of exact binary fractions, so no
 * initialiser or random stream is involved.
 */
import { BatchNorm1d, Linear, ReLU, Sequential, type Module } from "../src/index.js";

/** Linear(3, 4) → BatchNorm1d(4) → ReLU → Linear(4, 2) with fixed values (`shift` varies them). */
export async function fixtureModel(shift = 0): Promise<Module> {
  const m = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 2));
  const sd = new Map<string, { shape: readonly number[]; data: number[] }>();
  let i = shift;
  for (const [k, t] of m.stateDict()) {
    const data = t.dtype === "int32" ? [7 + shift] : Array.from({ length: t.size }, () => (((i++ * 37) % 101) / 64) - 0.75);
    sd.set(k, { shape: t.shape, data });
  }
  await m.loadStateDict(sd);
  return m;
}

/** The state dict's values, by key, as plain arrays (to compare two modules). */
export async function values(m: Module): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [k, t] of m.stateDict()) out[k] = [...(await t.data())];
  return out;
}

/** The metadata the weights fixture was written with. */
export const FIXTURE_METADATA = { epoch: "3", note: "fixture" } as const;
