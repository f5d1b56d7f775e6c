/**
 * The site's one place that persists weights, on `@tessera/nn`'s browser helpers: the latest
 * trained or uploaded MNIST net lives in IndexedDB (database `tessera-web`) under the key
 * `latest:<model>`, so the drawing page knows which net to build before it loads the weights;
 * saving one removes the others. Downloads are `weightsToBlob`'s bytes, those Node would write.
 */
import { getDevice } from "@tessera/blas";
import { deleteFromIndexedDB, listIndexedDB, loadWeightsFromIndexedDB, saveWeightsToIndexedDB, weightsToBlob, type Module } from "@tessera/nn";
import { downloadBlob } from "./dom.js";
import { isMnistModelName, MNIST_MODELS } from "./models.js";
import type { MnistModelName } from "./protocol.js";

const DATABASE = "tessera-web";
const PREFIX = "latest:";

/** Saves `net` (a `name` net) as the latest model, with `metadata` in its file. */
export async function saveLatest(net: Module, name: MnistModelName, metadata: Record<string, string>): Promise<void> {
  await saveWeightsToIndexedDB(net, PREFIX + name, { metadata: { ...metadata, model: name }, database: DATABASE });
  for (const e of await listIndexedDB({ database: DATABASE })) {
    if (e.key.startsWith(PREFIX) && e.key !== PREFIX + name) await deleteFromIndexedDB(e.key, { database: DATABASE });
  }
}

/** The latest model saved in this browser, built on the js device with its weights; undefined when there is none. */
export async function loadLatest(): Promise<{ name: MnistModelName; net: Module; metadata: Record<string, string> } | undefined> {
  const entry = (await listIndexedDB({ database: DATABASE })).find((e) => e.kind === "weights" && e.key.startsWith(PREFIX));
  if (!entry) return undefined;
  const name = entry.key.slice(PREFIX.length);
  if (!isMnistModelName(name)) throw new Error(`loadLatest: IndexedDB holds weights for "${name}", which is not one of ${Object.keys(MNIST_MODELS).join(", ")}`);
  const net = MNIST_MODELS[name].make({ seed: 0, device: getDevice("js") });
  const metadata = await loadWeightsFromIndexedDB(net, entry.key, { database: DATABASE });
  net.eval();
  return { name, net, metadata };
}

/** Offers `net`'s weights (with `metadata`) as a `.safetensors` download named `file`. */
export async function downloadWeights(net: Module, metadata: Record<string, string>, file: string): Promise<void> {
  downloadBlob(await weightsToBlob(net, metadata), file);
}
