/**
 * The small model whose weights and checkpoint are committed as fixtures (written by Node's
 * `saveWeights` and the checkpoint codec): the same module, built in Node or in a browser, must
 * give the same bytes. Every value is set from a formula of exact binary fractions, so no
 * initialiser or random stream is involved.
 */
import { Adam } from "@tessera/optim";
import { BatchNorm1d, Dropout, Linear, ReLU, Sequential, type Module } from "../src/index.js";

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

/** What {@link checkpointFixture} builds: a model with a Dropout layer, an Adam with state, a run state. */
export interface CheckpointFixture {
  model: Module;
  optimizer: Adam;
  state: { options: { model: string; lr: number }; epoch: number; batch: number; history: { epoch: number; loss: number }[]; baseLr: number; dropout?: Record<string, number> };
}

/**
 * The model, optimizer and run state of the committed checkpoint fixture (written by `tessera
 * train`'s checkpoint code before it moved into @tessera/nn). Adam's moments and the Dropout
 * counter are set from formulas, so building it runs no arithmetic that could differ by engine.
 */
export async function checkpointFixture(shift = 0): Promise<CheckpointFixture> {
  const drop = new Dropout(0.25, { seed: 9 });
  const model = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), drop, new Linear(4, 2));
  let i = shift;
  const f = () => (((i++ * 37) % 101) / 64) - 0.75;
  const sd = new Map<string, { shape: readonly number[]; data: number[] }>();
  for (const [k, t] of model.stateDict()) sd.set(k, { shape: t.shape, data: t.dtype === "int32" ? [7 + shift] : Array.from({ length: t.size }, f) });
  await model.loadStateDict(sd);
  (drop as unknown as { counter: number }).counter = 1000 + shift;
  const optimizer = new Adam(model.parameters(), { lr: 0.001 });
  const state: Record<number, Record<string, number | number[]>> = {};
  model.parameters().forEach((p, n) => {
    state[n] = { step: 3 + shift, expAvg: Array.from({ length: p.size }, f), expAvgSq: Array.from({ length: p.size }, () => Math.abs(f()) / 4) };
  });
  optimizer.loadStateDict({ state, paramGroups: [{ ...(await optimizer.stateDict()).paramGroups[0], lr: 0.0005 }] });
  return {
    model, optimizer,
    state: { options: { model: "fixture", lr: 0.001 }, epoch: 1, batch: 2, history: [{ epoch: 1, loss: 0.5 + shift }], baseLr: 0.001 },
  };
}
