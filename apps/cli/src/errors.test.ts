import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { encodeIdx } from "@tessera/data";
import { mnistMlp } from "@tessera/models";
import { saveWeights } from "@tessera/nn";
import { cli } from "./cli.test-helper.js";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe("a user's mistake is one line on stderr and exit code 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-errors-"));

  it.each([
    [["train", "--epoch", "3"], "tessera train: unknown option '--epoch'; did you mean '--epochs'? (tessera train --help lists the options)"],
    [["train", "--batchsize", "3"], "tessera train: unknown option '--batchsize'; did you mean '--batch-size'? (tessera train --help lists the options)"],
    [["eval", "--epochs", "3"], "tessera eval: unknown option '--epochs' (tessera eval --help lists the options)"],
    [["train", "--epochs", "0"], "tessera train: --epochs must be an integer >= 1, got '0'"],
    [["train", "--epochs=-1"], "tessera train: --epochs must be an integer >= 1, got '-1'"],
    [["train", "--epochs", "1.5"], "tessera train: --epochs must be an integer >= 1, got '1.5'"],
    [["train", "--epochs", ""], "tessera train: --epochs must be an integer >= 1, got ''"],
    [["train", "--batch-size", "0"], "tessera train: --batch-size must be an integer >= 1, got '0'"],
    [["train", "--lr=-1"], "tessera train: --lr must be a positive number, got '-1'"],
    [["train", "--lr", "-1"], "tessera train: Option '--lr' argument is ambiguous. Did you forget to specify the option argument for '--lr'? To specify an option argument starting with a dash use '--lr=-XYZ'."],
    [["train", "--lr", "Infinity"], "tessera train: --lr must be a positive number, got 'Infinity'"],
    [["train", "--optimizer", "rmsprop"], "tessera train: --optimizer must be 'adam' or 'sgd', got 'rmsprop'"],
    [["train", "--device", "cuda"], "tessera train: --device must be 'js' or 'wasm' or 'webgpu', got 'cuda'"],
    [["train", "--model", "nope"], "tessera train: unknown model 'nope' (models: lenet5, mnistMlp, mnistCodelabCnn, kerasMnistConvnet, alexnet, alexnet2012, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn, resnet18, resnet34, resnet50, resnet101, resnet152, googlenet, inceptionV3, resnet20, resnet32, resnet44, resnet56, resnet110)"],
    [["train", "lenet5"], "tessera train: unexpected argument 'lenet5' (tessera train takes options only; tessera train --help lists them)"],
    [["train", "--epochs"], "tessera train: Option '--epochs <value>' argument missing"],
    [["train", "--data-dir", "/nonexistent/mnist"], "tessera train: --data-dir /nonexistent/mnist: no such folder"],
    [["eval"], "tessera eval: --weights FILE is required"],
    [["eval", "--weights", "nope.safetensors"], "tessera eval: --weights nope.safetensors: no such file"],
    [["predict", "--weights", "nope.safetensors", "a.png"], "tessera predict: --weights nope.safetensors: no such file"],
    [["summary", "--model", "lenet"], "tessera summary: unknown model 'lenet' (models: lenet5, mnistMlp, mnistCodelabCnn, kerasMnistConvnet, alexnet, alexnet2012, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn, resnet18, resnet34, resnet50, resnet101, resnet152, googlenet, inceptionV3, resnet20, resnet32, resnet44, resnet56, resnet110)"],
    [["summary", "a", "b"], "tessera summary: unexpected argument 'b'"],
    [["trian"], undefined],
  ])("%j", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    if (message) expect(r.err).toBe(message);
    else expect(r.err.split("\n")[0]).toBe("tessera: unknown command 'trian'; did you mean 'train'?");
  });

  it("files: missing, corrupt, of another model (named by the file, by state.json, or not at all), empty data", async () => {
    const corrupt = join(dir, "corrupt.safetensors");
    writeFileSync(corrupt, "not a safetensors file at all");
    const bad = await cli(["eval", "--weights", corrupt]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^tessera eval: --weights .*corrupt\.safetensors is not a valid safetensors file \(safetensors: [^\n]*\)$/);

    const mlp = mnistMlp({ seed: 0 });
    const anonymous = join(dir, "anonymous.safetensors");
    await saveWeights(mlp, anonymous);
    const wrong = await cli(["eval", "--weights", anonymous]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/^tessera eval: --weights .*anonymous\.safetensors does not hold lenet5 weights \(loadStateDict: missing keys: 0\.weight, .*\); name the model with --model$/);
    expect((await cli(["eval", "--weights", anonymous, "--model", "mnistMlp"])).out).toMatch(/^mnistMlp \(.*\) on 2000 test images/);

    const named = join(dir, "named.safetensors");
    await saveWeights(mlp, named, { model: "mnistMlp" });
    expect((await cli(["eval", "--weights", named])).out).toMatch(/^mnistMlp \(.*\) on 2000 test images/);
    const clash = await cli(["eval", "--weights", named, "--model", "lenet5"]);
    expect(clash.err).toBe(`tessera eval: --weights ${named} holds mnistMlp weights, not lenet5 (leave out --model to use mnistMlp)`);

    const oldRun = join(dir, "old-run");
    mkdirSync(oldRun);
    await saveWeights(mlp, join(oldRun, "best.safetensors"));
    writeFileSync(join(oldRun, "state.json"), JSON.stringify({ options: { model: "mnistMlp" } }));
    expect((await cli(["eval", "--weights", join(oldRun, "best.safetensors")])).out).toMatch(/^mnistMlp \(.*\) on 2000 test images/);
    mlp.dispose();

    const png = await cli(["predict", "--weights", named, join(dir, "missing.png")]);
    expect([png.code, png.err]).toEqual([2, `tessera predict: image ${join(dir, "missing.png")}: no such file`]);
    const none = await cli(["predict", "--weights", named]);
    expect(none.err).toBe("tessera predict: name at least one image file");

    const emptyFolder = join(dir, "empty-folder");
    mkdirSync(emptyFolder);
    const noFiles = await cli(["train", "--data-dir", emptyFolder, "--out", join(dir, "run-a")]);
    expect(noFiles.code).toBe(2);
    expect(noFiles.err).toMatch(/^tessera train: --data-dir .*: loadMnist: found none of [\w-]+-idx\d-ubyte, [\w-]+-idx\d-ubyte\.gz in /);

    // Four valid IDX files holding no images: refused instead of "training" to NaN %.
    const zero = join(dir, "zero-images");
    mkdirSync(zero);
    for (const [name, shape] of [["train-images-idx3-ubyte", [0, 28, 28]], ["t10k-images-idx3-ubyte", [0, 28, 28]], ["train-labels-idx1-ubyte", [0]], ["t10k-labels-idx1-ubyte", [0]]] as const) {
      writeFileSync(join(zero, name), encodeIdx({ dtype: "uint8", shape: [...shape], data: new Uint8Array(0) }));
    }
    const empty = await cli(["train", "--data-dir", zero, "--out", join(dir, "run-b")]);
    expect([empty.code, empty.err]).toEqual([2, `tessera train: --data-dir ${zero}: no training images`]);
    const emptyEval = await cli(["eval", "--weights", named, "--data-dir", zero]);
    expect([emptyEval.code, emptyEval.err]).toEqual([2, `tessera eval: --data-dir ${zero}: no test images`]);
  });

  it("the real command prints no stack trace for a mistake", () => {
    const r = spawnSync(process.execPath, [MAIN, "eval", "--weights", "nope.safetensors"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("tessera eval: --weights nope.safetensors: no such file\n");
    expect(r.stdout).toBe("");
  });
});

describe("help", () => {
  it("`tessera <command> --help`, `-h` and `tessera help <command>` print that command's options", async () => {
    for (const args of [["train", "--help"], ["train", "-h"], ["help", "train"]]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.out.split("\n")[0]).toBe("usage: tessera train [options]");
      expect(r.out).toMatch(/--epochs VALUE +number of epochs \(>= 1\) \(default: 20\)/);
      expect(r.out).toContain("--resume");
    }
    expect((await cli(["predict", "--help"])).out.split("\n")[0]).toBe("usage: tessera predict [options] IMAGE…");
    const general = await cli(["--help"]);
    expect(general.out).toContain("tessera <command> --help prints a command's options.");
    for (const c of ["train", "eval", "predict", "convert", "summary", "bench", "demo"]) expect(general.out).toMatch(new RegExp(`^  ${c} `, "m"));
  });
});
