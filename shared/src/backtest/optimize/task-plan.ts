import type { EpochMs } from '../../domain/time/epoch';
import type { OptimizeTask } from './optimize-task';
import type { Trial } from './trial-sampler';
import { type Fold, FoldError, type Window } from './walk-forward';

/** One task: a trial on a window, starting `warmupMs` earlier (never before `dataFrom`). */
export function task(
  id: number,
  trial: Trial,
  fold: number,
  segment: OptimizeTask['segment'],
  window: Window,
  warmupMs: number,
  dataFrom: EpochMs,
): OptimizeTask {
  return {
    id,
    trial: trial.index,
    fold,
    segment,
    window,
    warmupFrom: Math.max(dataFrom, window.from - warmupMs) as EpochMs,
    params: trial.params,
  };
}

/**
 * One task per trial × fold × segment plus one per trial on the selection window (when given), in a
 * fixed order so task ids are stable. Each run starts `warmupMs` before its window (never before
 * the data start `dataFrom`) so indicators are warm.
 */
export function buildTasks(
  trials: readonly Trial[],
  folds: readonly Fold[],
  warmupMs: number,
  dataFrom: EpochMs,
  selection?: Window,
): OptimizeTask[] {
  const tasks: OptimizeTask[] = [];
  for (const trial of trials) {
    for (const fold of folds)
      for (const segment of ['in', 'out'] as const) {
        const window = segment === 'in' ? fold.inSample : fold.outOfSample;
        tasks.push(task(tasks.length, trial, fold.index, segment, window, warmupMs, dataFrom));
      }
    if (selection !== undefined)
      tasks.push(task(tasks.length, trial, -1, 'select', selection, warmupMs, dataFrom));
  }
  return tasks;
}

/** Where the holdout starts: the last `share` of the window, on a bar boundary, long enough to judge. */
export function holdoutStart(
  from: EpochMs,
  to: EpochMs,
  share: number,
  barMs: number,
  minBars = 60,
): EpochMs {
  if (!(share >= 0 && share < 1)) throw new FoldError(`--holdout must be in [0, 1), got ${share}`);
  if (share === 0) return to;
  const start = Math.ceil((to - share * (to - from)) / barMs) * barMs;
  if ((to - start) / barMs < minBars)
    throw new FoldError(
      `a ${share * 100} % holdout holds only ${Math.floor((to - start) / barMs)} bars (< ${minBars}): use more data or a larger --holdout`,
    );
  return start as EpochMs;
}

/** Bars a task replays (warm-up included), for the combined progress of both phases. */
export function taskBars(t: OptimizeTask, barMs: number): number {
  return Math.round((t.window.to - t.warmupFrom) / barMs);
}
