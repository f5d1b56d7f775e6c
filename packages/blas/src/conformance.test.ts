import { describe, expect, it } from "vitest";
import { JsDevice, jsDevice } from "./index.js";
import { conformanceCases, errorCases, sgemmCases } from "./testing.js";

describe("conformance battery on the js device (blocked sgemm)", () => {
  for (const c of conformanceCases()) it(`${c.group}: ${c.name}`, () => c.run(jsDevice));
});

describe("sgemm battery on the js device in reference mode", () => {
  const spec = new JsDevice({ reference: true });
  for (const c of sgemmCases().filter((_, i) => i % 7 === 0)) it(c.name, () => c.run(spec));
});

describe("the battery can fail", () => {
  it("detects a device whose sgemm is wrong", async () => {
    const broken = new JsDevice();
    const orig = broken.sgemm.bind(broken);
    broken.sgemm = (...args: Parameters<typeof orig>) => {
      orig(...args);
      const C = args[15];
      broken.write(C, [(broken.readSync(C, 0, 1)[0] as number) + 1e-3], 0);
    };
    const c = sgemmCases().find((x) => x.name.includes("M=9 N=9 K=9"))!;
    await expect(c.run(broken)).rejects.toThrow(/sgemm/);
  });

  it("detects a device that reads C when beta = 0", async () => {
    const leaky = new JsDevice();
    const orig = leaky.sgemm.bind(leaky);
    leaky.sgemm = (...args: Parameters<typeof orig>) => {
      const beta = args[14];
      orig(...(args.map((a, i) => (i === 14 && beta === 0 ? 1e-30 : a)) as Parameters<typeof orig>));
    };
    const c = sgemmCases().find((x) => x.name.includes("NaN-in-C"))!;
    await expect(c.run(leaky)).rejects.toThrow(/NaN|expected/);
  });

  it("detects a device that throws another message for a bad call", async () => {
    const odd = new JsDevice();
    odd.fillRandom = (dist) => {
      throw new RangeError(`fillRandom: dist must be one of uniform, normal, bernoulli; got ${JSON.stringify(dist)}`);
    };
    const c = errorCases().find((x) => x.name === "fillRandom dist unknown")!;
    await expect(c.run(odd)).rejects.toThrow(/device 'js' threw .*one of uniform.*the reference .*'uniform', 'normal' or 'bernoulli'/);
  });

  it("detects a device that accepts a bad call", async () => {
    const lax = new JsDevice();
    lax.softmax = () => {};
    const c = errorCases().find((x) => x.name === "softmax log not a boolean")!;
    await expect(c.run(lax)).rejects.toThrow(/device 'js' threw null/);
  });
});
