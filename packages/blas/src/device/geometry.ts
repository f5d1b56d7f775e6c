/**
 * The geometry of a 2-D convolution of one channel group, as device routines consume it.
 * `@tessera/conv` computes it from user options (padding modes, 'same', …); devices only read it.
 * Output size: `OH = floor((H + padTop + padBottom − dilationH·(KH−1) − 1) / strideH) + 1`.
 *
 * @example
 * ```ts
 * import type { Conv2dGeometry } from "@tessera/blas";
 * // 1×5×5 input, 3×3 kernel, padding 1, stride 1 → 5×5
 * const g: Conv2dGeometry = { C: 1, H: 5, W: 5, KH: 3, KW: 3, strideH: 1, strideW: 1,
 *   padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, dilationH: 1, dilationW: 1, OH: 5, OW: 5 };
 * ```
 */
export interface Conv2dGeometry {
  /** Input channels (of one group). */ readonly C: number;
  /** Input height. */ readonly H: number;
  /** Input width. */ readonly W: number;
  /** Kernel height. */ readonly KH: number;
  /** Kernel width. */ readonly KW: number;
  /** Vertical stride. */ readonly strideH: number;
  /** Horizontal stride. */ readonly strideW: number;
  /** Zero rows above. */ readonly padTop: number;
  /** Zero columns on the left. */ readonly padLeft: number;
  /** Zero rows below. */ readonly padBottom: number;
  /** Zero columns on the right. */ readonly padRight: number;
  /** Vertical dilation (1 = dense). */ readonly dilationH: number;
  /** Horizontal dilation. */ readonly dilationW: number;
  /** Output height. */ readonly OH: number;
  /** Output width. */ readonly OW: number;
}

/**
 * The geometry of a 2-D pooling window over planes of H×W (any number of planes, N·C).
 * For average pooling with `countIncludePad`, the divisor counts padded cells inside
 * [−padTop, H + padBottom) as PyTorch does; otherwise only cells inside the input.
 *
 * @example
 * ```ts
 * import type { Pool2dGeometry } from "@tessera/blas";
 * // AlexNet's overlapping 3×3 stride-2 max pool on 55×55 → 27×27
 * const g: Pool2dGeometry = { H: 55, W: 55, KH: 3, KW: 3, strideH: 2, strideW: 2, padTop: 0, padLeft: 0,
 *   padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: 27, OW: 27 };
 * ```
 */
export interface Pool2dGeometry {
  /** Input height. */ readonly H: number;
  /** Input width. */ readonly W: number;
  /** Window height. */ readonly KH: number;
  /** Window width. */ readonly KW: number;
  /** Vertical stride. */ readonly strideH: number;
  /** Horizontal stride. */ readonly strideW: number;
  /** Padding above. */ readonly padTop: number;
  /** Padding on the left. */ readonly padLeft: number;
  /** Padding below (ceil mode may need more than padTop). */ readonly padBottom: number;
  /** Padding on the right. */ readonly padRight: number;
  /** Vertical dilation. */ readonly dilationH: number;
  /** Horizontal dilation. */ readonly dilationW: number;
  /** Output height. */ readonly OH: number;
  /** Output width. */ readonly OW: number;
}
