/**
 * Notices live device memory that grows without end: a training loop that does not free its
 * step's tensors (no `scope()`) raises the high-water mark of live bytes in every step, until the
 * device runs out of memory thousands of steps later. A loop in steady state stops raising it after
 * its first steps (parameters, optimizer state and the largest step are then all accounted for).
 *
 * Allocations are counted in windows at several scales (1024, 8192 and 65536 allocations, so a
 * window spans at least one step of small and of large models); a window has grown when the
 * high-water mark at its end is above the one at its start. When {@link GROWTH_WINDOWS} windows in
 * a row have grown at any scale, `warn` is called, once.
 * @internal
 */

/** Allocations per window, at each scale. @internal */
export const GROWTH_SCALES: readonly number[] = [1024, 8192, 65536];
/** Consecutive grown windows (at one scale) that trigger the warning. @internal */
export const GROWTH_WINDOWS = 16;

/** @internal */
export class GrowthWatch {
  private live = 0;
  private high = 0;
  private allocations = 0;
  private readonly startHigh: number[];
  private readonly streak: number[];
  private warned = false;

  constructor(
    private readonly warn: (live: number, allocations: number) => void,
    private readonly scales: readonly number[] = GROWTH_SCALES,
    private readonly windows = GROWTH_WINDOWS,
  ) {
    this.startHigh = scales.map(() => 0);
    this.streak = scales.map(() => 0);
  }

  /** Records an allocation of `bytes`. */
  alloc(bytes: number): void {
    this.live += bytes;
    if (this.live > this.high) this.high = this.live;
    this.allocations++;
    if (this.warned) return;
    for (let i = 0; i < this.scales.length; i++) {
      if (this.allocations % this.scales[i] !== 0) continue;
      this.streak[i] = this.high > this.startHigh[i] ? this.streak[i] + 1 : 0;
      this.startHigh[i] = this.high;
      if (this.streak[i] >= this.windows) {
        this.warned = true;
        this.warn(this.live, this.allocations);
        return;
      }
    }
  }

  /** Records a free of `bytes`. */
  free(bytes: number): void {
    this.live -= bytes;
  }
}
