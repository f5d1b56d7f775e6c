/**
 * Turns WebGPU's asynchronous error reporting into exceptions. Every device call runs inside
 * error scopes (validation, out-of-memory, internal) pushed and popped within the same
 * synchronous call, so scopes of other code on a shared GPUDevice are never disturbed. Errors
 * found later are thrown by the next `read` or `sync`, naming the routine that caused them. A lost
 * device makes every later call throw and every waiting read reject instead of hanging.
 * @internal
 */

const FILTERS: readonly GPUErrorFilter[] = ["validation", "out-of-memory", "internal"];

/** @internal */
export class GpuErrors {
  private readonly pending = new Set<Promise<void>>();
  private readonly errors: string[] = [];
  /** Set once the device is lost. */
  lostInfo: GPUDeviceLostInfo | null = null;
  /** Rejects when the device is lost (never resolves otherwise). */
  readonly lost: Promise<never>;

  constructor(private readonly device: GPUDevice) {
    this.lost = device.lost.then((info) => {
      this.lostInfo = info;
      throw new Error(lostMessage(info));
    });
    this.lost.catch(() => {});
  }

  /** Throws when the device is lost. */
  checkAlive(fn: string): void {
    if (this.lostInfo) throw new Error(`${fn}: ${lostMessage(this.lostInfo)}`);
  }

  /** Runs `body` inside error scopes; errors it causes are reported by the next {@link check}. */
  guard<T>(fn: string, body: () => T): T {
    this.checkAlive(fn);
    for (const f of FILTERS) this.device.pushErrorScope(f);
    try {
      return body();
    } finally {
      for (let i = FILTERS.length - 1; i >= 0; i--) {
        const filter = FILTERS[i];
        const p: Promise<void> = this.device.popErrorScope().then(
          (e) => {
            if (e) this.errors.push(`${fn}: WebGPU ${filter} error: ${e.message}`);
          },
          () => {},
        ).finally(() => this.pending.delete(p));
        this.pending.add(p);
      }
    }
  }

  /** Waits for the scopes of earlier calls and throws the first error they found (then forgets them). */
  async check(fn: string): Promise<void> {
    await Promise.all([...this.pending]);
    this.checkAlive(fn);
    if (this.errors.length > 0) {
      const all = this.errors.splice(0);
      throw new Error(`${fn}: earlier GPU work failed: ${all[0]}${all.length > 1 ? ` (and ${all.length - 1} more errors)` : ""}`);
    }
  }

  /** Resolves or rejects with `work`, but rejects as soon as the device is lost. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.lost]);
  }
}

function lostMessage(info: GPUDeviceLostInfo): string {
  return `the WebGPU device was lost (reason: ${info.reason ?? "unknown"}${info.message ? `; ${info.message}` : ""}); create a new device with webgpuDevice()`;
}
