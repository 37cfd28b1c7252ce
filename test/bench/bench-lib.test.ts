import { compare, geoMean, measure, median, perSecond, quantile } from '../../bench/lib/measure';
import { formatFigure } from '../../bench/lib/report';
import { atLeast, below, ratioResult } from '../../bench/lib/results';

describe('bench/lib statistics', () => {
  it('median, nearest-rank quantile, geometric mean, rate', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(sorted, 0.99)).toBe(99);
    expect(quantile(sorted, 0.5)).toBe(50);
    expect(quantile([7], 0.99)).toBe(7);
    expect(geoMean([2, 8])).toBeCloseTo(4, 12);
    expect(Number.isNaN(geoMean([2, 0]))).toBe(true);
    expect(perSecond(500, 250)).toBe(2000);
  });

  it('measure and compare honour the run limits and call both sides alike', () => {
    let calls = 0;
    const t = measure(
      () => {
        calls++;
      },
      { warmup: 2, minRuns: 4, maxRuns: 4, budgetMs: 0 },
    );
    expect(t.runs).toBe(4);
    expect(calls).toBe(6);
    const seen = { ours: 0, base: 0 };
    const c = compare(
      () => seen.ours++,
      () => seen.base++,
      { warmup: 1, minRuns: 6, maxRuns: 6, budgetMs: 0 },
    );
    expect(seen).toEqual({ ours: 7, base: 7 });
    expect(c.ours.runs).toBe(6);
    expect(c.baseline.runs).toBe(6);
    expect(c.ratio).toBeGreaterThan(0);
  });

  it('results carry the target text and the verdict', () => {
    expect(ratioResult('a.b', 0.4, 'bare loop', atLeast(0.5, 'x'))).toEqual({
      name: 'a.b',
      value: 0.4,
      unit: 'x',
      baseline: 'bare loop',
      ratio: 0.4,
      target: '>= 0.5x',
      pass: false,
    });
    expect(below(10, 'ms', 'p99').text).toBe('p99 < 10 ms');
    expect(atLeast(300_000, 'bars/s').text).toBe('>= 300,000 bars/s');
    expect(ratioResult('a.c', 2, 'x').pass).toBeNull();
  });

  it('formats figures to three significant digits with separators', () => {
    expect(formatFigure(1234567.8)).toBe('1,234,568');
    expect(formatFigure(123.4)).toBe('123');
    expect(formatFigure(12.34)).toBe('12.3');
    expect(formatFigure(1.234)).toBe('1.23');
    expect(formatFigure(0.01234)).toBe('0.0123');
    expect(formatFigure(Number.NaN)).toBe('–');
  });
});
