import { describe, it } from "vitest";
import { JsDevice, jsDevice } from "@tessera/blas";
import { convCases } from "./testing.js";

// The battery on every registered device of this package's tests: the blocked JS sgemm, the
// triple-loop reference sgemm, and the float64 JS device (which must meet the same bounds).
// Backends run the same cases from their own tests: for (const c of convCases()) it(c.name, () => c.run(dev)).
const devices = [
  ["js (blocked sgemm)", jsDevice],
  ["js reference", new JsDevice({ reference: true })],
  ["js float64", new JsDevice({ precision: "float64" })],
] as const;

for (const [label, device] of devices) {
  describe(`conv battery on ${label}`, () => {
    for (const c of convCases()) it(`${c.group}: ${c.name}`, () => c.run(device));
  });
}
