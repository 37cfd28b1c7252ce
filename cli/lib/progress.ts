import { Presets, SingleBar } from 'cli-progress';

/** A progress display that may be a no-op: callers update it unconditionally. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

/**
 * A progress bar with ETA on stderr, shown only when stdout is a terminal and the output is not
 * machine-readable (`--json`), so pipes, CI logs and JSON consumers never see control characters.
 * With an unknown total (0) it shows the running count instead of a bar.
 */
export function createProgress(label: string, enabled: boolean): Progress {
  if (!enabled) return SILENT;
  let bar: SingleBar | undefined;
  let known = false;
  let lastDraw = 0;
  return {
    update(done, total) {
      if (bar === undefined) {
        known = total > 0;
        const format = known
          ? `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`
          : `${label} {value}`;
        bar = new SingleBar(
          { format, stream: process.stderr, hideCursor: true, etaBuffer: 200 },
          Presets.shades_classic,
        );
        bar.start(known ? total : 0, 0);
      }
      // Redrawing on every bar of a million-bar run costs more than the simulation: throttle.
      if (done - lastDraw < 500 && (total === 0 || done < total)) return;
      lastDraw = done;
      if (known && total > 0) bar.setTotal(Math.max(total, done));
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Whether progress bars should be drawn for this run. */
export function progressEnabled(json: boolean): boolean {
  return process.stdout.isTTY === true && !json;
}
