/**
 * The exported ONNX graph rebuilt with TensorFlow.js ops (the tfjs peer of `pnpm bench infer`),
 * with the same weights. Activations are NHWC (tfjs-wasm's convolutions take no other layout);
 * as tfjs-converter does for a user's model, BatchNormalization is folded into the convolution
 * before it and a following Relu is fused (`tf.fused.conv2d`). An op or attribute this builder
 * does not map throws `not built: …`, and the suite prints "not built" for the model.
 */
import type { Tf } from "../peers.js";
import type { GraphNode, OnnxGraph } from "./onnx-graph.js";

type T = import("@tensorflow/tfjs-core").Tensor;

/** A graph rebuilt in tfjs: run on an NCHW input, read back the logits. */
export interface TfGraph {
  run(x: T): Promise<Float32Array>;
  dispose(): void;
}

/** NCHW host data to an NHWC tfjs tensor (done once, outside the timed runs). */
export function nhwcInput(tf: Tf, x: Float32Array, shape: readonly number[]): T {
  const [n, c, h, w] = shape;
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) out[(i * h * w + p) * c + ch] = x[(i * c + ch) * h * w + p];
  return tf.tensor4d(out, [n, h, w, c]);
}

const notBuilt = (n: GraphNode, why: string) => new Error(`not built: ${n.op} (${why})`);

function ints(n: GraphNode, name: string, dflt: number[]): number[] {
  const v = n.attrs.get(name);
  return Array.isArray(v) ? v : dflt;
}

function num(n: GraphNode, name: string, dflt: number): number {
  const v = n.attrs.get(name);
  return typeof v === "number" ? v : dflt;
}

/** pads [top, left, bottom, right] → one number when symmetric, else explicit NHWC padding. */
function padOf(n: GraphNode): number | [[number, number], [number, number], [number, number], [number, number]] {
  if (n.attrs.has("auto_pad") && n.attrs.get("auto_pad") !== "NOTSET") throw notBuilt(n, `auto_pad ${n.attrs.get("auto_pad")}`);
  const [t, l, b, r] = ints(n, "pads", [0, 0, 0, 0]);
  return t === l && t === b && t === r ? t : [[0, 0], [t, b], [l, r], [0, 0]];
}

/** Builds the graph in tfjs; weights become tfjs tensors now (folded where BatchNorm follows a Conv). */
export function buildTfGraph(tf: Tf, g: OnnxGraph): TfGraph {
  const uses = new Map<string, number>();
  for (const n of g.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  const consumerOf = (name: string) => (uses.get(name) === 1 && name !== g.output ? g.nodes.find((n) => n.inputs.includes(name)) : undefined);
  const init = (name: string) => {
    const t = g.initializers.get(name);
    if (!t) throw new Error(`not built: '${name}' is not an initializer`);
    return t;
  };
  const weights: T[] = [];
  const keep = <U extends T>(t: U): U => (weights.push(t), t);
  type Step = (v: Map<string, T>) => void;
  const steps: Step[] = [];
  const skip = new Set<GraphNode>();
  const alias = new Map<string, string>(); // an output name → the name its value is stored under
  const get = (v: Map<string, T>, name: string) => v.get(alias.get(name) ?? name)!;

  for (const n of g.nodes) {
    if (skip.has(n)) continue;
    const out = n.outputs[0];
    switch (n.op) {
      case "Conv": {
        if (num(n, "group", 1) !== 1) throw notBuilt(n, `group ${num(n, "group", 1)}`);
        const w = init(n.inputs[1]);
        const [O, I, KH, KW] = w.dims;
        const wd = Float32Array.from(w.data);
        const bias = n.inputs[2] ? Float32Array.from(init(n.inputs[2]).data) : new Float32Array(O);
        let last = n;
        const bn = consumerOf(out);
        if (bn?.op === "BatchNormalization") {
          const [scale, shift, mean, variance] = bn.inputs.slice(1).map((k) => init(k).data);
          const eps = num(bn, "epsilon", 1e-5);
          for (let o = 0; o < O; o++) {
            const f = scale[o] / Math.sqrt(variance[o] + eps);
            for (let k = 0; k < I * KH * KW; k++) wd[o * I * KH * KW + k] *= f;
            bias[o] = (bias[o] - mean[o]) * f + shift[o];
          }
          skip.add(bn);
          last = bn;
        }
        const relu = consumerOf(last.outputs[0]);
        const act = relu?.op === "Relu" ? "relu" : "linear";
        if (relu?.op === "Relu") {
          skip.add(relu);
          last = relu;
        }
        const filter = keep(tf.tidy(() => tf.transpose(tf.tensor4d(wd, [O, I, KH, KW]), [2, 3, 1, 0])));
        const b = keep(tf.tensor1d(bias));
        const [sh, sw] = ints(n, "strides", [1, 1]);
        const [dh, dw] = ints(n, "dilations", [1, 1]);
        const pad = padOf(n);
        const dst = last.outputs[0];
        steps.push((v) => v.set(dst, tf.fused.conv2d({ x: get(v, n.inputs[0]) as import("@tensorflow/tfjs-core").Tensor4D, filter, strides: [sh, sw], pad, dilations: [dh, dw], bias: b, activation: act })));
        break;
      }
      case "BatchNormalization": {
        const [scale, shift, mean, variance] = n.inputs.slice(1).map((k) => keep(tf.tensor1d(init(k).data)));
        const eps = num(n, "epsilon", 1e-5);
        steps.push((v) => v.set(out, tf.batchNorm(get(v, n.inputs[0]), mean, variance, shift, scale, eps)));
        break;
      }
      case "Relu":
        steps.push((v) => v.set(out, tf.relu(get(v, n.inputs[0]))));
        break;
      case "MaxPool":
      case "AveragePool": {
        const k = ints(n, "kernel_shape", []) as [number, number];
        const s = ints(n, "strides", [1, 1]) as [number, number];
        const pad = padOf(n);
        if (typeof pad !== "number") throw notBuilt(n, "asymmetric pads");
        if (ints(n, "dilations", [1, 1]).some((d) => d !== 1)) throw notBuilt(n, "dilation");
        if (n.op === "AveragePool" && pad > 0 && num(n, "count_include_pad", 0) === 1) throw notBuilt(n, "count_include_pad with padding");
        const mode = num(n, "ceil_mode", 0) ? "ceil" : "floor";
        const f = n.op === "MaxPool" ? tf.maxPool : tf.avgPool;
        steps.push((v) => v.set(out, f(get(v, n.inputs[0]) as import("@tensorflow/tfjs-core").Tensor4D, k, s, pad, mode)));
        break;
      }
      case "GlobalAveragePool":
        steps.push((v) => v.set(out, tf.mean(get(v, n.inputs[0]), [1, 2], true)));
        break;
      case "Add":
        if (n.inputs.some((i) => g.initializers.has(i))) throw notBuilt(n, "an initializer operand");
        steps.push((v) => v.set(out, tf.add(get(v, n.inputs[0]), get(v, n.inputs[1]))));
        break;
      case "Concat": {
        const axis = num(n, "axis", 1);
        if (axis !== 1) throw notBuilt(n, `axis ${axis}`);
        steps.push((v) => v.set(out, tf.concat(n.inputs.map((i) => get(v, i)), 3)));
        break;
      }
      case "Flatten":
        if (num(n, "axis", 1) !== 1) throw notBuilt(n, "axis other than 1");
        // NHWC back to NCHW order first, so the flattened features are PyTorch's.
        steps.push((v) => {
          const x = get(v, n.inputs[0]);
          v.set(out, tf.reshape(x.rank === 4 ? tf.transpose(x, [0, 3, 1, 2]) : x, [x.shape[0], -1]));
        });
        break;
      case "Reshape": {
        const target = [...init(n.inputs[1]).data];
        if (num(n, "allowzero", 0) !== 0) throw notBuilt(n, "allowzero");
        // To PyTorch's (NCHW) order first, as Flatten; 0 copies the input's dimension.
        steps.push((v) => {
          const x = get(v, n.inputs[0]);
          const nchw = x.rank === 4 ? tf.transpose(x, [0, 3, 1, 2]) : x;
          v.set(out, tf.reshape(nchw, target.map((d, i) => (d === 0 ? nchw.shape[i] : d))));
        });
        break;
      }
      case "Gemm": {
        if (num(n, "transA", 0) !== 0 || num(n, "alpha", 1) !== 1 || num(n, "beta", 1) !== 1) throw notBuilt(n, "transA, alpha or beta other than 0, 1, 1");
        const w = init(n.inputs[1]);
        // B is transposed here, once: tfjs-wasm 4.22's fused matMul with transposeB and a bias gave
        // logits off by the bias's size (found by the suite's output check; the cpu backend was right).
        const B = keep(tf.tidy(() => {
          const b = tf.tensor2d(w.data, w.dims as [number, number]);
          return num(n, "transB", 0) === 1 ? tf.transpose(b) : b;
        }));
        const C = n.inputs[2] ? keep(tf.tensor1d(init(n.inputs[2]).data)) : undefined;
        steps.push((v) => v.set(out, tf.fused.matMul({ a: get(v, n.inputs[0]) as import("@tensorflow/tfjs-core").Tensor2D, b: B, bias: C })));
        break;
      }
      case "LRN": {
        const size = num(n, "size", 0);
        if (size % 2 !== 1) throw notBuilt(n, `even size ${size}`);
        const [alpha, beta, bias] = [num(n, "alpha", 1e-4), num(n, "beta", 0.75), num(n, "bias", 1)];
        steps.push((v) => v.set(out, tf.localResponseNormalization(get(v, n.inputs[0]) as import("@tensorflow/tfjs-core").Tensor4D, (size - 1) / 2, bias, alpha / size, beta)));
        break;
      }
      case "Dropout":
      case "Identity":
        alias.set(out, alias.get(n.inputs[0]) ?? n.inputs[0]);
        break;
      default:
        throw notBuilt(n, "no tfjs mapping in bench/src/infer/tfjs-graph.ts");
    }
  }
  return {
    async run(x) {
      const y = tf.tidy(() => {
        const v = new Map<string, T>([[g.input, x]]);
        for (const s of steps) s(v);
        return get(v, g.output);
      });
      const data = (await y.data()) as Float32Array;
      y.dispose();
      return data;
    },
    dispose: () => weights.forEach((w) => w.dispose()),
  };
}
