/**
 * The body of a pool worker, shipped as source text (`workerSource`), so it needs no separate file,
 * URL or bundler support: Node runs it with `new Worker(code, { eval: true })`, browsers from a
 * Blob URL. It must stay self-contained (no imports, no outer variables).
 *
 * Protocol over the shared control block (i32 slots, see thread-pool.ts): the worker sleeps in
 * `Atomics.wait` on the generation slot; a new generation with command RUN makes worker `tid` run
 * the job's export (`gemmRun`, `convRun` or `convFilterRun`, by the kind slot) with `(job, tid)` if the generation is assigned to it, then count itself done; command EXIT ends it.
 * @internal
 */
/* eslint-disable */
function workerMain(): void {
  const g = globalThis as any;
  const node = typeof g.process === "object" && typeof g.process.versions?.node === "string";
  const port = node ? g.require("node:worker_threads").parentPort : undefined;
  const post = (m: unknown) => (node ? port.postMessage(m) : g.postMessage(m));
  const start = async (msg: { module: WebAssembly.Module; memory: WebAssembly.Memory; ctl: number; tid: number }) => {
    const GEN = 0, CMD = 1, JOB = 2, DONE = 4, FAILED = 5, KIND = 6, ASSIGN = 8, RUN = 1, EXIT = 2;
    // After a job, poll briefly before sleeping: back-to-back products (a training step) then skip
    // the futex round trip, which costs tens of microseconds on a VM.
    const SPINS = 20000;
    const instance = await WebAssembly.instantiate(msg.module, { env: { memory: msg.memory } });
    const runs = [instance.exports.gemmRun, instance.exports.convRun, instance.exports.convFilterRun] as ((job: number, tid: number) => void)[];
    const c = new Int32Array(msg.memory.buffer, msg.ctl, ASSIGN + msg.tid + 1);
    let seen = Atomics.load(c, GEN);
    post({ ready: msg.tid });
    for (;;) {
      for (let i = 0; i < SPINS && Atomics.load(c, GEN) === seen; i++);
      Atomics.wait(c, GEN, seen);
      seen = Atomics.load(c, GEN);
      const cmd = Atomics.load(c, CMD);
      if (cmd === EXIT) break;
      // Only a generation this worker is assigned to (see ASSIGN in thread-pool.ts), once.
      if (cmd !== RUN || Atomics.load(c, ASSIGN + msg.tid) !== seen) continue;
      try {
        runs[Atomics.load(c, KIND)](Atomics.load(c, JOB), msg.tid);
      } catch (e) {
        Atomics.store(c, FAILED, 1);
      }
      Atomics.add(c, DONE, 1);
      Atomics.notify(c, DONE);
    }
    if (node) port.close();
    else g.close();
  };
  if (node) port.once("message", start);
  else g.onmessage = (e: { data: Parameters<typeof start>[0] }) => { g.onmessage = null; start(e.data); };
}

/** The worker's source text. @internal */
export const workerSource = `(${workerMain.toString()})();\n`;
