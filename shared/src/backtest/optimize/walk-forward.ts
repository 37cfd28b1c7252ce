import type { EpochMs } from '../../domain/time/epoch';

/** Half-open time window [from, to). */
export interface Window {
  readonly from: EpochMs;
  readonly to: EpochMs;
}

/** One walk-forward fold: fit on `inSample`, judge on the `outOfSample` window right after it. */
export interface Fold {
  readonly index: number;
  readonly inSample: Window;
  readonly outOfSample: Window;
}

/** How to cut the data into folds. */
export interface FoldOptions {
  readonly from: EpochMs;
  readonly to: EpochMs;
  readonly folds: number;
  /** In-sample length as a multiple of the out-of-sample length (default 3: 75 % / 25 %). */
  readonly inSampleRatio?: number;
  /** Bar length; every boundary falls on a bar start so no bar is split between windows. */
  readonly barMs: number;
  /** Fewest bars an out-of-sample window may hold (default 60). */
  readonly minOutOfSampleBars?: number;
}

/** Why the data cannot be split as asked; the message says what to change. */
export class FoldError extends Error {
  override readonly name = 'FoldError';
}

/**
 * Rolling walk-forward windows. With N folds and ratio r the span is cut into r + N out-of-sample
 * lengths: fold k trains on [k, k + r) and tests on [k + r, k + r + 1) (in those units). So every
 * out-of-sample window starts exactly where its in-sample window ends and lies strictly after it
 * (no bar is in both, no future bar trains the model), and the out-of-sample windows tile the end
 * of the data without overlapping each other.
 */
export function buildFolds(options: FoldOptions): Fold[] {
  const { from, to, folds, barMs } = options;
  const ratio = options.inSampleRatio ?? 3;
  const minBars = options.minOutOfSampleBars ?? 60;
  if (!Number.isInteger(folds) || folds < 1)
    throw new FoldError(`--folds must be a positive integer, got ${folds}`);
  if (!(ratio > 0)) throw new FoldError(`in-sample ratio must be positive, got ${ratio}`);
  const first = Math.ceil(from / barMs) * barMs;
  const totalBars = Math.floor((to - first) / barMs);
  const unitBars = Math.floor(totalBars / (ratio + folds));
  if (unitBars < minBars)
    throw new FoldError(
      `${totalBars} bars cannot make ${folds} folds with ≥ ${minBars} out-of-sample bars each; ` +
        'use fewer --folds or more data (--days / --from).',
    );
  const isBars = Math.floor(unitBars * ratio);
  // Anchor at the end so the most recent data is always tested; spare bars fall at the start.
  const start = first + (totalBars - isBars - folds * unitBars) * barMs;
  const out: Fold[] = [];
  for (let k = 0; k < folds; k++) {
    const isFrom = start + k * unitBars * barMs;
    const isTo = isFrom + isBars * barMs;
    out.push({
      index: k,
      inSample: { from: isFrom as EpochMs, to: isTo as EpochMs },
      outOfSample: { from: isTo as EpochMs, to: (isTo + unitBars * barMs) as EpochMs },
    });
  }
  return out;
}
