import cliProgress from "cli-progress";

/** Per-batch progress of one epoch: a live bar on a terminal, nothing (until the epoch line) otherwise. */
export interface EpochProgress {
  update(done: number, values: { loss: number; acc: number; ips: number }): void;
  stop(): void;
}

/** A progress bar for `total` batches of epoch `epoch`/`epochs` (cli-progress on a TTY). */
export function epochProgress(epoch: number, epochs: number, total: number, enabled: boolean): EpochProgress {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    format: `epoch ${epoch}/${epochs} {bar} {value}/{total} batches | ETA {eta_formatted} | loss {loss} | acc {acc} | {ips} img/s`,
    barCompleteChar: "█", barIncompleteChar: "░", hideCursor: true, clearOnComplete: true, etaBuffer: 50,
  });
  bar.start(total, 0, { loss: "-", acc: "-", ips: "-" });
  return {
    update(done, v) {
      bar.update(done, { loss: v.loss.toFixed(4), acc: `${(100 * v.acc).toFixed(1)}%`, ips: v.ips.toFixed(0) });
    },
    stop() {
      bar.stop();
    },
  };
}
