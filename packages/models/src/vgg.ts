/**
 * VGG (Simonyan & Zisserman, 2015) from configuration lists, as torchvision builds it.
 */
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Linear, MaxPool2d, type Module, ReLU, Sequential } from "@tessera/nn";
import { FeaturesClassifier } from "./alexnet.js";
import { classes, init, type ModelOptions } from "./options.js";

/**
 * The configurations A, B, D, E: channel counts, "M" for a 2×2 max pool.
 *
 * @example
 * ```ts
 * import { VGG_CONFIGS } from "@tessera/models";
 * VGG_CONFIGS.vgg16.filter((c) => c !== "M").length; // 13 conv layers
 * ```
 */
export const VGG_CONFIGS: Readonly<Record<"vgg11" | "vgg13" | "vgg16" | "vgg19", readonly (number | "M")[]>> = {
  vgg11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
  vgg13: [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
  vgg16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
  vgg19: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
};

/**
 * Builds a VGG from a configuration (torchvision's layout and keys: `features.N`, `classifier.N`).
 *
 * @example
 * ```ts
 * import { vgg, VGG_CONFIGS } from "@tessera/models";
 * vgg(VGG_CONFIGS.vgg11, true, { numClasses: 10 });
 * ```
 */
export function vgg(config: readonly (number | "M")[], batchNorm: boolean, o: ModelOptions = {}): FeaturesClassifier {
  const i = init(o);
  const layers: Module[] = [];
  let c = 3;
  for (const v of config) {
    if (v === "M") layers.push(new MaxPool2d(2, { stride: 2 }));
    else {
      layers.push(new Conv2d(c, v, 3, { padding: 1, ...i }));
      if (batchNorm) layers.push(new BatchNorm2d(v, { device: o.device }));
      layers.push(new ReLU());
      c = v;
    }
  }
  return new FeaturesClassifier(
    new Sequential(...layers),
    new AdaptiveAvgPool2d([7, 7]),
    new Sequential(
      new Linear(512 * 7 * 7, 4096, i), new ReLU(), new Dropout(0.5, { seed: o.seed ?? 0 }),
      new Linear(4096, 4096, i), new ReLU(), new Dropout(0.5, { seed: (o.seed ?? 0) + 1 }),
      new Linear(4096, classes("vgg", o, 1000), i),
    ),
  );
}

/** VGG-11 (132,863,336 parameters). @example
 * ```ts
 * import { vgg11 } from "@tessera/models";
 * vgg11({ numClasses: 10 });
 * ```
 */
export const vgg11 = (o: ModelOptions = {}): FeaturesClassifier => vgg(VGG_CONFIGS.vgg11, false, o);
/** VGG-11 with batch norm. @example
 * ```ts
 * import { vgg11_bn } from "@tessera/models";
 * vgg11_bn();
 * ```
 */
export const vgg11_bn = (o: ModelOptions = {}): FeaturesClassifier => vgg(VGG_CONFIGS.vgg11, true, o);
/** VGG-13. @example
 * ```ts
 * import { vgg13 } from "@tessera/models";
 * vgg13();
 * ```
 */
export const vgg13 = (o: ModelOptions = {}): FeaturesClassifier => vgg(VGG_CONFIGS.vgg13, false, o);
/** VGG-13 with batch norm. @example
 * ```ts
 * import { vgg13_bn } from "@tessera/models";
 * vgg13_bn();
 * ```
 */
export const vgg13_bn = (o: ModelOptions = {}): FeaturesClassifier => vgg(VGG_CONFIGS.vgg13, true, o);
/** VGG-16 (138,357,544 parameters). @example
 * ```ts
 * import { vgg16 } from "@tessera/models";
 * vgg16().numParameters(); // 138357544
 * ```
 */
export const vgg16 = (o: ModelOptions = {}): FeaturesClassifier => vgg(VGG_CONFIGS.vgg16, false, o);
/** VGG-16 with batch norm (138,365,992 parameters). @example
 * ```ts
 * import { vgg16_bn } from "@tessera/models";
 * vgg16_bn().numParameters(); // 138365992
 * ```
 */
export const vgg16_bn = (o: ModelOptions = {}): FeaturesClassifier => vgg(VGG_CONFIGS.vgg16, true, o);
/** VGG-19. @example
 * ```ts
 * import { vgg19 } from "@tessera/models";
 * vgg19();
 * ```
 */
export const vgg19 = (o: ModelOptions = {}): FeaturesClassifier => vgg(VGG_CONFIGS.vgg19, false, o);
/** VGG-19 with batch norm. @example
 * ```ts
 * import { vgg19_bn } from "@tessera/models";
 * vgg19_bn();
 * ```
 */
export const vgg19_bn = (o: ModelOptions = {}): FeaturesClassifier => vgg(VGG_CONFIGS.vgg19, true, o);
