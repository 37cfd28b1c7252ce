import { OPTIMIZE_METRICS, parseOptimizeMetric, scoreOf } from '../../shared/src/backtest/optimize/objective';
import {
  type Evaluation,
  rankBySelection,
  type Segment,
  summarizeTrials,
  walkForwardPicks,
} from '../../shared/src/backtest/optimize/ranking';
import type { Trial } from '../../shared/src/backtest/optimize/trial-sampler';
import { metrics } from '../report/fixture-result';

function evaluation(
  trial: number,
  fold: number,
  segment: Segment,
  sharpe: number,
  ret = 0,
  trades = 5,
): Evaluation {
  const returns = [0.01, -0.004, 0.006, 0.002].map((r) => r * (1 + sharpe));
  return {
    trial,
    fold,
    segment,
    result: {
      metrics: metrics({ sharpe, totalReturnPct: ret, trades }),
      dailyReturns: returns,
      days: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'],
    },
  };
}

describe('ranking', () => {
  const trials: Trial[] = [0, 1, 2].map((index) => ({
    index,
    params: { stat_arb: { entryZ: 2 + index / 10 } },
  }));
  // Fold in-sample order 2 > 1 > 0; out-of-sample order 0 > 1 > 2: the overfit trial looks best
  // in sample. On the selection window (all data before the holdout) trial 1 is best.
  const evaluations: Evaluation[] = [
    evaluation(0, 0, 'in', 0.1, 1),
    evaluation(0, 0, 'out', 1.0, 2),
    evaluation(0, 1, 'in', 0.2, 1),
    evaluation(0, 1, 'out', 0.8, -1),
    evaluation(0, -1, 'select', 0.5),
    evaluation(1, 0, 'in', 1.0),
    evaluation(1, 0, 'out', 0.5),
    evaluation(1, 1, 'in', 1.1),
    evaluation(1, 1, 'out', 0.5),
    evaluation(1, -1, 'select', 3),
    evaluation(2, 0, 'in', 5.0),
    evaluation(2, 0, 'out', -2),
    evaluation(2, 1, 'in', 4.0),
    evaluation(2, 1, 'out', -1),
    evaluation(2, -1, 'select', 2),
  ];

  it('picks by the selection-window score only, whatever the out-of-sample scores say', () => {
    const summaries = summarizeTrials(trials, 2, [...evaluations].reverse(), 'sharpe');
    const ranked = rankBySelection(summaries);
    expect(ranked.map((r) => r.trial)).toEqual([1, 2, 0]);
    // Out-of-sample numbers are carried for display, never used: trial 0 is best there.
    const byTrial = new Map(summaries.map((s) => [s.trial, s]));
    expect(byTrial.get(0)?.outOfSampleMean).toBeCloseTo(0.9, 12);
    expect(byTrial.get(0)?.outOfSampleReturnPct).toBeCloseTo((1.02 * 0.99 - 1) * 100, 10);
    expect(byTrial.get(2)?.inSampleMean).toBe(4.5);
    // Every selection Sharpe carries its DSR against the cross-section of the three tried.
    for (const s of summaries) {
      expect(s.selectionDsr).not.toBeNull();
      expect(s.selectionDsr).toBeGreaterThanOrEqual(0);
      expect(s.selectionDsr).toBeLessThanOrEqual(1);
    }
  });

  it('breaks ties by trial index, so the defaults win a tie', () => {
    const tie = trials.flatMap((t) => [
      ...[0, 1].flatMap((f) => [evaluation(t.index, f, 'in', 3 - t.index), evaluation(t.index, f, 'out', 1)]),
      evaluation(t.index, -1, 'select', 1),
    ]);
    expect(
      rankBySelection(summarizeTrials([...trials].reverse(), 2, tie, 'sharpe')).map((r) => r.trial),
    ).toEqual([0, 1, 2]);
  });

  it('picks trials without enough closed in-sample trades last', () => {
    const summaries = summarizeTrials(trials, 2, evaluations, 'sharpe').map((s) =>
      s.trial === 1 ? { ...s, selectionTrades: 0 } : s,
    );
    expect(rankBySelection(summaries, 1).map((r) => r.trial)).toEqual([2, 0, 1]);
    expect(rankBySelection(summaries, 0).map((r) => r.trial)).toEqual([1, 2, 0]);
  });

  it('walks forward: in-sample best per fold, judged out of sample', () => {
    const picks = walkForwardPicks(summarizeTrials(trials, 2, evaluations, 'sharpe'), 2);
    expect(picks).toEqual([
      { fold: 0, trial: 2, inSample: 5, outOfSample: -2 },
      { fold: 1, trial: 2, inSample: 4, outOfSample: -1 },
    ]);
  });

  it('refuses to rank with a missing evaluation', () => {
    expect(() => summarizeTrials(trials, 2, evaluations.slice(1), 'sharpe')).toThrow(
      /missing in-sample result for trial 0, fold 0/,
    );
    expect(() =>
      summarizeTrials(
        trials,
        2,
        evaluations.filter((e) => e.segment !== 'select'),
        'sharpe',
      ),
    ).toThrow(/missing selection-window result for trial 0/);
  });
});

describe('objective', () => {
  it('parses every metric name and refuses others with the list', () => {
    for (const m of OPTIMIZE_METRICS) expect(parseOptimizeMetric(m)).toBe(m);
    expect(() => parseOptimizeMetric('alpha')).toThrow(/sharpe, sortino, return, calmar, profit_factor/);
  });

  it('scores undefined ratios as neutral so a silent trial never beats a break-even one', () => {
    const silent = metrics({
      sharpe: null,
      sortino: null,
      profitFactor: null,
      trades: 0,
      winRate: 0,
      totalReturnPct: 0,
    });
    expect(scoreOf(silent, 'sharpe')).toBe(0);
    expect(scoreOf(silent, 'sortino')).toBe(0);
    expect(scoreOf(silent, 'profit_factor')).toBe(1);
    expect(scoreOf(metrics({ profitFactor: null, trades: 3, winRate: 100 }), 'profit_factor')).toBe(10);
    expect(scoreOf(metrics({ profitFactor: 25 }), 'profit_factor')).toBe(10);
    expect(scoreOf(metrics({ totalReturnPct: 3, maxDrawdownPct: 1.5 }), 'calmar')).toBe(2);
    expect(scoreOf(metrics({ totalReturnPct: 3 }), 'return')).toBe(3);
    expect(Number.isFinite(scoreOf(metrics({ totalReturnPct: 1, maxDrawdownPct: 0 }), 'calmar'))).toBe(true);
  });
});
