import {
  CounterAcrossRestarts,
  familySum,
  medianGrowth,
  parseMetrics,
  slopePerHour,
} from './lib/process-sampler';
import { type SoakSample, soakFigures } from './lib/soak-samples';

const MB = 1024 ** 2;

/** A run of `minutes` sampled each minute, executor RSS `rss(h)` MB and `handles(i)` live resources. */
function run(minutes: number, rss: (hours: number) => number, handles: (i: number) => number): SoakSample[] {
  return Array.from({ length: minutes + 1 }, (_, i) => ({
    hours: i / 60,
    rss: { executor: rss(i / 60) * MB, stack: 150 * MB },
    fds: { executor: 30, stack: 50 },
    executorResources: handles(i),
    lagP99: 0.02 + (i % 3) * 0.01,
    lagMax: 0.1,
  }));
}

const figure = (figures: ReturnType<typeof soakFigures>, name: string) =>
  figures.find((f) => f.name === name);

describe('soak figures', () => {
  it('fits the RSS slope in MB/h and passes a flat process', () => {
    const figures = soakFigures(
      run(
        60,
        () => 160,
        (i) => 40 + (i % 2),
      ),
      10 / 60,
    );
    expect(figure(figures, 'executor RSS slope')).toMatchObject({ value: 0, pass: true });
    expect(figure(figures, 'executor live resources growth')).toMatchObject({ pass: true });
    expect(figure(figures, 'executor event-loop lag p99 (worst window)')).toMatchObject({
      value: 40,
      pass: true,
    });
    expect(figures.every((f) => f.pass !== false)).toBe(true);
  });

  it('fails a leak: memory growing 30 MB/h, handles growing one a minute', () => {
    const figures = soakFigures(
      run(
        60,
        (h) => 160 + 30 * h,
        (i) => 40 + i,
      ),
      10 / 60,
    );
    expect(figure(figures, 'executor RSS slope')).toMatchObject({ value: 30, pass: false });
    expect(figure(figures, 'executor live resources growth')).toMatchObject({ pass: false });
    // The stack hosts the sim (which keeps every order): its memory is reported, its descriptors judged.
    expect(figure(figures, 'stack RSS slope')).toMatchObject({ value: 0, target: { kind: 'info' } });
    expect(figure(figures, 'stack open descriptors growth')).toMatchObject({ value: 0, pass: true });
  });

  it('reports but does not judge slopes over a window too short to mean anything (ci, quick)', () => {
    const figures = soakFigures(
      run(
        5,
        (h) => 160 + 300 * h,
        (i) => 40 + i,
      ),
      1 / 60,
    );
    const slope = figure(figures, 'executor RSS slope');
    expect(slope?.target).toEqual({ kind: 'info' });
    expect(slope?.note).toMatch(/too short/);
  });
});

describe('process sampler helpers', () => {
  it('parses Prometheus text and sums a family over its labels', () => {
    const m = parseMetrics(
      '# HELP x\nqts_a{type="Timeout"} 3\nqts_a{type="TCPWrap"} 2\nqts_ab 7\nqts_lag{quantile="0.99"} 0.5\n',
    );
    expect(familySum(m, 'qts_a')).toBe(5);
    expect(m.get('qts_lag{quantile="0.99"}')).toBe(0.5);
  });

  it('slope and growth', () => {
    expect(slopePerHour([{ hours: 0, value: 1 }])).toBeUndefined();
    const line = [0, 1, 2, 3].map((h) => ({ hours: h, value: 5 + 2 * h }));
    expect(slopePerHour(line)?.slope).toBeCloseTo(2, 10);
    expect(medianGrowth(line)).toBe(6);
  });

  it('counters survive a restart of the process that reports them', () => {
    const c = new CounterAcrossRestarts();
    c.see(1, 5);
    c.see(1, 9);
    c.see(2, 3);
    expect(c.total).toBe(12);
  });
});
