/**
 * LeNet-5 and the course's MNIST networks.
 */
import { Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU, Sequential } from "@tessera/nn";
import { classes, init, type ModelOptions } from "./options.js";

/**
 * LeNet-5 as it is usually trained on 28×28 MNIST today (LeCun et al., 1998, with ReLU and max
 * pooling): conv 6@5×5 pad 2 → ReLU → pool 2 → conv 16@5×5 → ReLU → pool 2 → 120 → 84 → 10.
 * 61,706 parameters.
 *
 * @example
 * ```ts
 * import { lenet5 } from "@tessera/models";
 * lenet5().numParameters(); // 61706
 * ```
 */
export function lenet5(o: ModelOptions = {}): Sequential {
  const i = init(o);
  return new Sequential(
    new Conv2d(1, 6, 5, { padding: 2, ...i }), new ReLU(), new MaxPool2d(2),
    new Conv2d(6, 16, 5, i), new ReLU(), new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * 5 * 5, 120, i), new ReLU(),
    new Linear(120, 84, i), new ReLU(),
    new Linear(84, classes("lenet5", o, 10), i),
  );
}

/**
 * The course's first MNIST network: 784-16-16-10 with ReLU (13,002 parameters). Takes [N, 1, 28, 28] or [N, 784].
 *
 * @example
 * ```ts
 * import { mnistMlp } from "@tessera/models";
 * mnistMlp().numParameters(); // 13002
 * ```
 */
export function mnistMlp(o: ModelOptions = {}): Sequential {
  const i = init(o);
  return new Sequential(new Flatten(), new Linear(784, 16, i), new ReLU(), new Linear(16, 16, i), new ReLU(), new Linear(16, classes("mnistMlp", o, 10), i));
}

/**
 * The course's TensorFlow codelab CNN: conv 12@3×3 same → conv 24@6×6 stride 2 same → conv 32@6×6
 * stride 2 same (ReLU after each) → flatten 1568 → dense 200 ReLU → dense 10 (354,002 parameters).
 *
 * @example
 * ```ts
 * import { mnistCodelabCnn } from "@tessera/models";
 * mnistCodelabCnn().numParameters(); // 354002
 * ```
 */
export function mnistCodelabCnn(o: ModelOptions = {}): Sequential {
  const i = init(o);
  return new Sequential(
    new Conv2d(1, 12, 3, { padding: "same", ...i }), new ReLU(),
    new Conv2d(12, 24, 6, { stride: 2, padding: "same", ...i }), new ReLU(),
    new Conv2d(24, 32, 6, { stride: 2, padding: "same", ...i }), new ReLU(),
    new Flatten(), new Linear(1568, 200, i), new ReLU(), new Linear(200, classes("mnistCodelabCnn", o, 10), i),
  );
}

/**
 * The Keras "simple MNIST convnet": conv 32@3×3 ReLU → pool 2 → conv 64@3×3 ReLU → pool 2 → flatten
 * → dropout 0.5 → dense 10 (34,826 parameters).
 *
 * @example
 * ```ts
 * import { kerasMnistConvnet } from "@tessera/models";
 * kerasMnistConvnet().numParameters(); // 34826
 * ```
 */
export function kerasMnistConvnet(o: ModelOptions = {}): Sequential {
  const i = init(o);
  return new Sequential(
    new Conv2d(1, 32, 3, i), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3, i), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Dropout(0.5, { seed: o.seed ?? 0 }), new Linear(1600, classes("kerasMnistConvnet", o, 10), i),
  );
}
