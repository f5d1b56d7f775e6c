/**
 * The watchdog of a Node worker pool, shipped as source text like the workers (worker-main.ts).
 * The calling thread cannot notice a worker's death while it waits for a job (it is blocked in
 * `Atomics.wait` or inside wasm, and its event loop does not turn), so this thread, whose event
 * loop stays free, holds one end of a MessageChannel per worker: when a worker ends (terminated,
 * crashed, exited), its end closes, and the watchdog marks it dead in the control block
 * (`markDead`): the running job is aborted and the calling thread woken.
 * @internal
 */
import { markDead, type CONTROL } from "./pool-control.js";

/** What the watchdog is started with: the control block and one port per worker. @internal */
export interface WatchdogStart {
  readonly memory: WebAssembly.Memory;
  readonly ctl: number;
  readonly slots: typeof CONTROL;
  readonly ports: readonly { readonly tid: number; readonly port: unknown }[];
}

/* eslint-disable */
function watchdogMain(markDeadSource: string): void {
  const g = globalThis as any;
  const parent = g.require("node:worker_threads").parentPort;
  const mark = new Function(`return (${markDeadSource});`)() as typeof markDead;
  // A persistent listener (and one per port) keeps this thread's event loop alive until the pool
  // terminates it; the ports never carry messages.
  parent.on("message", (msg: WatchdogStart) => {
    const c = new Int32Array(msg.memory.buffer, msg.ctl, msg.slots.DEAD + msg.ports.length + 1);
    for (const { tid, port } of msg.ports) {
      (port as any).on("message", () => {});
      (port as any).on("close", () => mark(c, tid, msg.slots));
    }
    parent.postMessage("ready");
  });
}

/** The watchdog's source text. @internal */
export const watchdogSource = `(${watchdogMain.toString()})(${JSON.stringify(markDead.toString())});\n`;
