import type { BenchResult } from './bench-types';

/** A target: the text the table prints and the test that decides `pass`. */
export interface Target {
  readonly text: string;
  readonly met: (value: number) => boolean;
}

/** value ≥ `min` (e.g. `atLeast(12, 'x')` prints `>= 12x`). */
export function atLeast(min: number, unit = ''): Target {
  return {
    text: `>= ${min.toLocaleString('en-US')}${unit === '' ? '' : unit === 'x' ? 'x' : ` ${unit}`}`,
    met: (v) => v >= min,
  };
}

/** value < `max` (e.g. `below(10, 'ms', 'p99')` prints `p99 < 10 ms`). */
export function below(max: number, unit = '', label = ''): Target {
  const u = unit === '' ? '' : unit === 'x' ? 'x' : ` ${unit}`;
  return {
    text: `${label === '' ? '' : `${label} `}< ${max.toLocaleString('en-US')}${u}`,
    met: (v) => v < max,
  };
}

/**
 * A ratio against a baseline measured in the same process: `value` and `ratio` are both the
 * ratio (unit `x`), `baseline` names what it was compared with.
 */
export function ratioResult(name: string, ratio: number, baseline: string, target?: Target): BenchResult {
  return {
    name,
    value: ratio,
    unit: 'x',
    baseline,
    ratio,
    target: target?.text ?? null,
    pass: target === undefined ? null : target.met(ratio),
  };
}

/** An absolute figure (bars/s, ms, MB…), optionally with a target. */
export function absoluteResult(name: string, value: number, unit: string, target?: Target): BenchResult {
  return {
    name,
    value,
    unit,
    baseline: null,
    ratio: null,
    target: target?.text ?? null,
    pass: target === undefined ? null : target.met(value),
  };
}
