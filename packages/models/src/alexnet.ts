/**
 * AlexNet: torchvision's variant and the course's single-tower 2012 network with LRN.
 */
import type { Tensor } from "@tessera/autograd";
import { AdaptiveAvgPool2d, Conv2d, Dropout, Flatten, Identity, Linear, LocalResponseNorm, MaxPool2d, Module, ReLU, Sequential } from "@tessera/nn";
import { classes, init, type ModelOptions } from "./options.js";

/**
 * A network made of `features`, `avgpool` and `classifier`, as torchvision's AlexNet and VGG.
 *
 * @example
 * ```ts
 * import { alexnet } from "@tessera/models";
 * const net = alexnet({ numClasses: 10 });
 * net.classifier; // Sequential
 * ```
 */
export class FeaturesClassifier extends Module {
  private readonly flatten = new Flatten();
  /**
   * Creates it from its three parts.
   *
   * @param features Convolutional feature extractor.
   * @param avgpool Pooling of the features to the classifier's input size (an identity in alexnet2012).
   * @param classifier Fully connected layers to the classes.
   */
  constructor(readonly features: Sequential, readonly avgpool: Module, readonly classifier: Sequential) {
    super();
  }
  /** features → avgpool → flatten → classifier. */
  forward(x: Tensor): Tensor {
    return this.classifier.forward(this.flatten.forward(this.avgpool.forward(this.features.forward(x))));
  }
}

/**
 * torchvision's AlexNet (the "one weird trick" variant: 64-192-384-256-256 channels, adaptive
 * average pooling to 6×6, dropout before the two hidden FC layers). 61,100,840 parameters at 1000
 * classes; keys match torchvision's state dict.
 *
 * @example
 * ```ts
 * import { alexnet } from "@tessera/models";
 * alexnet().numParameters(); // 61100840
 * ```
 */
export function alexnet(o: ModelOptions & { readonly dropout?: number } = {}): FeaturesClassifier {
  const i = init(o);
  const p = o.dropout ?? 0.5;
  return new FeaturesClassifier(
    new Sequential(
      new Conv2d(3, 64, 11, { stride: 4, padding: 2, ...i }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(64, 192, 5, { padding: 2, ...i }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(192, 384, 3, { padding: 1, ...i }), new ReLU(),
      new Conv2d(384, 256, 3, { padding: 1, ...i }), new ReLU(),
      new Conv2d(256, 256, 3, { padding: 1, ...i }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
    ),
    new AdaptiveAvgPool2d([6, 6]),
    new Sequential(
      new Dropout(p, { seed: o.seed ?? 0 }), new Linear(256 * 6 * 6, 4096, i), new ReLU(),
      new Dropout(p, { seed: (o.seed ?? 0) + 1 }), new Linear(4096, 4096, i), new ReLU(),
      new Linear(4096, classes("alexnet", o, 1000), i),
    ),
  );
}

/**
 * The course's AlexNet (Krizhevsky et al., 2012) as one tower on 227×227 input: conv1 96@11×11 s4
 * → ReLU → LRN → pool 3/2 → conv2 256@5×5 p2 → ReLU → LRN → pool → conv3 384 → conv4 384 → conv5 256
 * (3×3 p1) → pool → fc 4096 → 4096 → 1000, with dropout 0.5 and the paper's LRN constants
 * (n = 5, α = 1e-4, β = 0.75, k = 2). 62,378,344 parameters, matching the course's table row by row.
 *
 * @example
 * ```ts
 * import { alexnet2012 } from "@tessera/models";
 * alexnet2012().numParameters(); // 62378344
 * ```
 */
export function alexnet2012(o: ModelOptions = {}): FeaturesClassifier {
  const i = init(o);
  const lrn = () => new LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 });
  return new FeaturesClassifier(
    new Sequential(
      new Conv2d(3, 96, 11, { stride: 4, ...i }), new ReLU(), lrn(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(96, 256, 5, { padding: 2, ...i }), new ReLU(), lrn(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(256, 384, 3, { padding: 1, ...i }), new ReLU(),
      new Conv2d(384, 384, 3, { padding: 1, ...i }), new ReLU(),
      new Conv2d(384, 256, 3, { padding: 1, ...i }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
    ),
    new Identity(),
    new Sequential(
      new Linear(256 * 6 * 6, 4096, i), new ReLU(), new Dropout(0.5, { seed: o.seed ?? 0 }),
      new Linear(4096, 4096, i), new ReLU(), new Dropout(0.5, { seed: (o.seed ?? 0) + 1 }),
      new Linear(4096, classes("alexnet2012", o, 1000), i),
    ),
  );
}
