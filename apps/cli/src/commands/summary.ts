import { summary } from "@tessera/nn";
import { zooEntry } from "../zoo.js";

/** `tessera summary [--model] NAME`: the layer table (the course's AlexNet table for alexnet2012). */
export function summaryCommand(model: string, log: (l: string) => void): void {
  const e = zooEntry(model);
  const m = e.make({ seed: 0 });
  try {
    log(`${model}, input [1, ${e.input.join(", ")}]`);
    log(summary(m, [1, ...e.input]).toString());
  } finally {
    m.dispose();
  }
}
