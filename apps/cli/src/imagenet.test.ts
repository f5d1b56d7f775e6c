/**
 * `tessera convert` and ImageNet `predict`: a seeded ResNet-18 saved as a `.pth` (written as
 * torch.save does, by a test helper), converted to safetensors and used to classify one JPEG;
 * malicious and hostile files are refused with one line and exit code 2.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encode } from "jpeg-js";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { noGrad, softmax, tensor } from "@tessera/autograd";
import { getDevice } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";
import { decodeSafetensors } from "@tessera/nn";
import { googlenet, IMAGENET_CLASSES, preprocessImageNet, resnet18 } from "@tessera/models";
import { decodeImage } from "./commands/images.js";
import { checkJpeg, decodeJpeg, MAX_JPEG_PIXELS } from "./commands/jpeg-limits.js";
import { checkpointPickle, maliciousPickle, torchSave, type TensorToSave } from "./torch-file.test-helper.js";
import { CliError } from "./zoo.js";
import { cli } from "./cli.test-helper.js";

/** A JPEG of seeded noise over a smooth gradient, `w`×`h` pixels. */
function seededJpeg(w: number, h: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = 4 * (y * w + x);
    data.set([(x * 255) / w, (y * 255) / h, 128 + 100 * (rng.uniform() - 0.5), 255], i);
  }
  return new Uint8Array(encode({ width: w, height: h, data }, 90).data);
}

/** A JPEG's first bytes up to a baseline frame header announcing `w`×`h` pixels of three components. */
function jpegHeader(w: number, h: number): Uint8Array {
  const sof = [0xff, 0xc0, 0, 17, 8, h >> 8, h & 0xff, w >> 8, w & 0xff, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, ...sof, 0xff, 0xd9]);
}

/** The reference device (predict runs on wasm). */
const js = getDevice("js");

/** How far a probability in % may differ between the wasm device and the js reference. */
const PERCENT_TOLERANCE = 1e-4;

/** Factor on GoogLeNet's freshly drawn classifier weights, for probabilities far from uniform. */
const FC_SCALE = 30;

const LINE = /^(.*): (\d)\. (.+) \((\d+\.\d\d)%\)$/;

describe("tessera convert and ImageNet predict", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-imagenet-"));

  it("converts a .pth to safetensors that load into the model, and predicts the top 5 classes of a JPEG from either file", async () => {
    const net = resnet18({ seed: 3, device: js });
    const own = [...net.stateDict()].map(([k, t]): [string, TensorToSave] => [k, { shape: t.shape, data: t.dataSync() as Float32Array | Int32Array }]);
    net.dispose();
    const pth = join(dir, "resnet18.pth");
    writeFileSync(pth, torchSave(own));

    const out = join(dir, "resnet18.safetensors");
    const c = await cli(["convert", pth, out]);
    expect([c.code, c.err, c.out]).toEqual([0, "", `${pth} → ${out}: ${own.length} tensors`]);
    const { tensors } = decodeSafetensors(readFileSync(out));
    expect([...tensors.keys()]).toEqual(own.map(([k]) => k));
    const fresh = resnet18({ seed: 4, device: js });
    await fresh.loadStateDict(tensors);
    const bytesOf = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const differing = own.filter(([k, t]) => !bytesOf(fresh.stateDict().get(k)!.dataSync() as Float32Array | Int32Array).equals(bytesOf(t.data)));
    expect(differing.map(([k]) => k)).toEqual([]);
    fresh.dispose();

    const jpg = join(dir, "photo.jpg");
    const jpeg = seededJpeg(96, 80, 5);
    writeFileSync(jpg, jpeg);
    const p = await cli(["predict", "--model", "resnet18", "--weights", out, jpg, "--device", "wasm", "--threads", "1"]);
    expect(p.code, p.err).toBe(0);
    const lines = p.out.split("\n");
    expect(lines).toHaveLength(5);
    const rows = lines.map((l) => LINE.exec(l)!);
    expect(rows.every((r) => r !== null && r[1] === jpg)).toBe(true);
    expect(rows.map((r) => Number(r[2]))).toEqual([1, 2, 3, 4, 5]);
    for (const r of rows) expect(IMAGENET_CLASSES).toContain(r[3]);
    const probs = rows.map((r) => Number(r[4]));
    expect(probs).toEqual([...probs].sort((a, b) => b - a));
    expect(probs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);

    // The same numbers as the library's preprocessing and forward pass, by hand.
    const { data, shape } = preprocessImageNet(decodeJpeg(jpeg, "photo.jpg"));
    const ref = resnet18({ seed: 0, device: js });
    await ref.loadStateDict(tensors);
    ref.eval();
    const q = noGrad(() => softmax(ref.forward(tensor(data, { shape, device: js }))).dataSync());
    ref.dispose();
    const best = [...q.keys()].reduce((a, b) => (q[b] > q[a] ? b : a), 0);
    expect(rows[0][3]).toBe(IMAGENET_CLASSES[best]);
    expect(Math.abs(Number(rows[0][4]) - 100 * q[best])).toBeLessThanOrEqual(0.005 + PERCENT_TOLERANCE); // wasm vs js rounding

    // The .pth itself gives the same lines (it needs --model: the file names no model).
    expect((await cli(["predict", "--model", "resnet18", "--weights", pth, jpg, "--device", "wasm", "--threads", "1"])).out).toBe(p.out);
    const unnamed = await cli(["predict", "--weights", pth, jpg]);
    expect([unnamed.code, unnamed.err]).toEqual([2, `tessera predict: --weights ${pth} is a PyTorch file, which does not name its model: name it with --model (e.g. --model resnet18)`]);
  });

  it("predicts with GoogLeNet as torchvision builds it for its weights (transform_input on, no auxiliary classifiers in this file) from a PNG", async () => {
    const net = googlenet({ seed: 6, device: js, auxLogits: false });
    const own = [...net.stateDict()].map(([k, t]): [string, TensorToSave] => [k, { shape: t.shape, data: t.dataSync() as Float32Array | Int32Array }]);
    net.dispose();
    // torchvision's initialisation (std 0.01) shrinks the activations layer by layer to nothing, and
    // every input would print the same uniform 0.10 %: rescale each conv to He's std, so the
    // activations keep their size, and sharpen the classifier.
    for (const [k, t] of own) {
      if (!k.endsWith("conv.weight")) continue;
      const fanIn = t.shape.slice(1).reduce((a, b) => a * b, 1);
      const f = Math.sqrt(2 / fanIn) / 0.01;
      for (let i = 0; i < t.data.length; i++) t.data[i] *= f;
    }
    const fc = own.find(([k]) => k === "fc.weight")![1].data;
    for (let i = 0; i < fc.length; i++) fc[i] *= FC_SCALE;
    const pth = join(dir, "googlenet.pth");
    writeFileSync(pth, torchSave(own));
    const img = new PNG({ width: 64, height: 48 });
    const rng = new Rng(7);
    for (let i = 0; i < img.data.length; i++) img.data[i] = (i & 3) === 3 ? 255 : Math.floor(256 * rng.uniform());
    const png = join(dir, "noise.png");
    writeFileSync(png, PNG.sync.write(img));
    const p = await cli(["predict", "--model", "googlenet", "--weights", pth, png, "--device", "wasm", "--threads", "1"]);
    expect(p.code, p.err).toBe(0);
    const rows = p.out.split("\n").map((l) => LINE.exec(l)!);
    expect(rows).toHaveLength(5);
    expect(Number(rows[0][4])).toBeGreaterThan(1); // far from uniform (0.1 %)

    const ref = googlenet({ seed: 0, device: js, auxLogits: false, transformInput: true });
    await ref.loadStateDict(new Map(own.map(([k, t]) => [k, t])));
    ref.eval();
    const { data, shape } = preprocessImageNet(decodeImage(new Uint8Array(readFileSync(png)), png));
    const q = noGrad(() => softmax(ref.forward(tensor(data, { shape, device: js }))).dataSync());
    ref.dispose();
    const top = [...q.keys()].sort((a, b) => q[b] - q[a]).slice(0, 5);
    expect(rows.map((r) => r[3])).toEqual(top.map((k) => IMAGENET_CLASSES[k]));
    rows.forEach((r, i) => expect(Math.abs(Number(r[4]) - 100 * q[top[i]])).toBeLessThanOrEqual(0.005 + PERCENT_TOLERANCE));
  });

  it("refuses a malicious pickle with one line and exit code 2, writing nothing", async () => {
    const evil = join(dir, "evil.pth");
    writeFileSync(evil, torchSave([], maliciousPickle("touch /tmp/pwned")));
    const out = join(dir, "evil.safetensors");
    const c = await cli(["convert", evil, out]);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(new RegExp(`^tessera convert: ${evil} is not a readable PyTorch state dict \\(unpickle: .*os\\.system.*\\)$`));
    expect(existsSync(out)).toBe(false);
    const p = await cli(["predict", "--model", "resnet18", "--weights", evil, "x.jpg"]);
    expect(p.code).toBe(2);
    expect(p.err).toMatch(/^tessera predict: --weights .*evil\.pth is not a readable PyTorch state dict \(unpickle: .*os\.system/);
  });

  it("convert --key reads a training checkpoint's state dict; without it the message names the flag", async () => {
    const entries: [string, TensorToSave][] = [["fc.weight", { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }], ["bn.num_batches_tracked", { shape: [], data: Int32Array.from([9]) }]];
    const ckpt = join(dir, "checkpoint.pth");
    writeFileSync(ckpt, torchSave(entries, checkpointPickle(entries)));
    const out = join(dir, "checkpoint.safetensors");
    const bare = await cli(["convert", ckpt, out]);
    expect(bare).toMatchObject({ code: 2, err: expect.stringMatching(/this looks like a training checkpoint: pass --key state_dict\)$/) });
    expect(existsSync(out)).toBe(false);
    expect(await cli(["convert", ckpt, out, "--key", "state_dict"])).toMatchObject({ code: 0, out: `${ckpt} → ${out}: 2 tensors` });
    const { tensors } = decodeSafetensors(readFileSync(out));
    expect(tensors.get("fc.weight")).toEqual({ dtype: "F32", shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) });
    expect(tensors.get("bn.num_batches_tracked")).toEqual({ dtype: "I64", shape: [], data: Int32Array.from([9]) });
    const p = await cli(["predict", "--model", "lenet5", "--weights", ckpt, "x.png"]);
    expect(p).toMatchObject({ code: 2, err: expect.stringMatching(/training checkpoint: convert it with tessera convert --key state_dict IN OUT\.safetensors first\)$/) });
  });

  it("convert: usage mistakes and unreadable files are one line, exit code 2", async () => {
    const corrupt = join(dir, "corrupt.pth");
    writeFileSync(corrupt, "PK\x03\x04 not really a zip");
    expect(await cli(["convert", corrupt, join(dir, "c.safetensors")])).toMatchObject({ code: 2, err: expect.stringMatching(/^tessera convert: .*corrupt\.pth is not a readable PyTorch state dict \(readZip: /) });
    expect(await cli(["convert", join(dir, "missing.pth"), join(dir, "m.safetensors")])).toMatchObject({ code: 2, err: `tessera convert: input ${join(dir, "missing.pth")}: no such file` });
    expect(await cli(["convert", "a.pth"])).toMatchObject({ code: 2, err: "tessera convert: name the input and the output file: tessera convert IN.pth OUT.safetensors (got only 'a.pth')" });
    expect(await cli(["convert", "a.pth", "a.pth"])).toMatchObject({ code: 2, err: "tessera convert: the output a.pth is the input file: name another file" });
    expect(await cli(["convert", "a.pth", "./x/../a.pth"])).toMatchObject({ code: 2, err: "tessera convert: the output ./x/../a.pth is the input file: name another file" });
    expect(await cli(["convert", "a", "b", "c"])).toMatchObject({ code: 2, err: "tessera convert: unexpected argument 'c'" });
    const help = await cli(["convert", "--help"]);
    expect(help.out.split("\n")[0]).toBe("usage: tessera convert [options] IN.pth OUT.safetensors");
    expect(help.out).toMatch(/--key VALUE +read the state dict stored under this key/);
  });
});

describe("predict: JPEG limits are checked before decoding", () => {
  it("refuses a tiny file announcing 65535×65535 pixels, naming the file and the limit", () => {
    const bomb = jpegHeader(65535, 65535);
    expect(bomb.length).toBeLessThan(50);
    expect(() => checkJpeg(bomb, "bomb.jpg")).toThrow(CliError);
    expect(() => decodeJpeg(bomb, "bomb.jpg")).toThrow(
      `predict: bomb.jpg is 65535×65535 = 4294836225 pixels, more than the ${MAX_JPEG_PIXELS} (4096×4096, MAX_JPEG_PIXELS) predict decodes: scale it down first`,
    );
    expect(() => checkJpeg(jpegHeader(4097, 4096), "w.jpg")).toThrow(/w\.jpg is 4097×4096 = 16781312 pixels, more than the 16777216/);
    expect(checkJpeg(jpegHeader(4096, 4096), "ok.jpg")).toEqual({ width: 4096, height: 4096, components: 3 });
    // predict tells the formats apart by their first bytes and checks the JPEG's header the same way
    expect(() => decodeImage(bomb, "bomb.jpg")).toThrow("predict: bomb.jpg is 65535×65535 = 4294836225 pixels");
    expect(() => decodeImage(new TextEncoder().encode("GIF89a......"), "a.gif")).toThrow("predict: a.gif is neither a PNG nor a JPEG file (judged by its first bytes)");
    const png = new PNG({ width: 3, height: 2 });
    png.data.fill(7);
    expect(decodeImage(new Uint8Array(PNG.sync.write(png)), "p.png")).toMatchObject({ width: 3, height: 2, data: new Uint8Array(24).fill(7) });
  });

  it("rejects what is not a readable JPEG with one line naming the file", () => {
    expect(() => checkJpeg(jpegHeader(0, 5), "z.jpg")).toThrow("predict: z.jpg is not a readable JPEG (its header says 0×5 pixels)");
    expect(() => checkJpeg(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2]), "s.jpg")).toThrow("predict: s.jpg is not a readable JPEG (SOS before the frame header)");
    expect(() => checkJpeg(jpegHeader(8, 8).subarray(0, 24), "t.jpg")).toThrow("predict: t.jpg is not a readable JPEG (segment 0xffc0 runs past the end of the file)");
    const truncated = seededJpeg(32, 32, 1);
    expect(() => decodeJpeg(truncated.subarray(0, truncated.length >> 1), "half.jpg")).toThrow(/^predict: half\.jpg is not a readable JPEG \(/);
    const ok = decodeJpeg(truncated, "full.jpg");
    expect([ok.width, ok.height, ok.data.length]).toEqual([32, 32, 32 * 32 * 3]);
  });
});
