import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flatCandle } from '../../../../testing/flat-candle';
import type { Candle } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import type { EpochMs } from '../../time/epoch';
import type { StrategyContext, StrategySignal } from '../strategy';
import { DEFAULT_STRATEGY_PARAMS, type StatArbParams } from '../strategy-params';
import { ENTRY_STRENGTH } from './pair-step';
import { createStatArb, type StatArbStrategy } from './stat-arb-strategy';

const Y = 'KRW-ETH' as Market;
const X = 'KRW-BTC' as Market;
const DAY = 86_400_000;
const FIXTURES = join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'stats');

const params: StatArbParams = {
  ...DEFAULT_STRATEGY_PARAMS.stat_arb,
  timeframe: '1d',
  lookbackBars: 120,
  retestEveryBars: 20,
  entryZ: 2,
  exitZ: 0.5,
  stopZ: 4,
  maxPValue: 0.05,
  maxHalfLifeBars: 30,
};

// Deterministic generator for test scenarios (mulberry32 + Box–Muller); strategies never see it.
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-300)) * Math.cos(2 * Math.PI * uniform());
}

function candle(market: Market, i: number, close: number): Candle {
  return flatCandle(market, 1_600_000_000_000 + i * DAY, close, { timeframe: '1d' });
}

const ctx = (i: number): StrategyContext => ({
  now: (1_600_000_000_000 + (i + 1) * DAY) as EpochMs,
  positionVolume: 0,
  availableKrw: 1_000_000,
});

interface Step {
  signals: readonly StrategySignal[];
  z: number;
}

/** Feeds both legs bar by bar (x first, then y) and records the signals and z after each step. */
function run(strategy: StatArbStrategy, ys: readonly number[], xs: readonly number[]): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < ys.length; i++) {
    const a = strategy.onBar(candle(X, i, xs[i] as number), ctx(i));
    const b = strategy.onBar(candle(Y, i, ys[i] as number), ctx(i));
    steps.push({ signals: [...a, ...b], z: strategy.pairStatus()[0]?.z ?? Number.NaN });
  }
  return steps;
}

function cointegratedPair(n: number, seed: number): { ys: number[]; xs: number[] } {
  const g = gaussian(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  let lx = Math.log(50_000_000);
  let u = 0;
  for (let i = 0; i < n; i++) {
    lx += 0.02 * g();
    u = 0.8 * u + 0.01 * g();
    xs.push(Math.exp(lx));
    ys.push(Math.exp(-3 + 0.9 * lx + u));
  }
  return { ys, xs };
}

describe('stat_arb on a cointegrated synthetic pair', () => {
  const { ys, xs } = cointegratedPair(600, 7);
  const strategy = createStatArb(params, [Y, X]);
  const steps = run(strategy, ys, xs);

  it('calibrates a hedge ratio near the true one and accepts the pair', () => {
    const model = strategy.pairStatus()[0]?.model;
    expect(model?.tradable).toBe(true);
    expect(model?.beta).toBeGreaterThan(0.8);
    expect(model?.beta).toBeLessThan(1.0);
    expect(model?.pValue).toBeLessThan(0.05);
    expect(model?.halfLifeBars).toBeLessThan(10);
  });

  it('enters only at |z| ≥ entryZ with a buy on the cheap leg and a sell on the rich leg', () => {
    const entries = steps.filter((s) => s.signals.some((x) => x.reason.startsWith('entry')));
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const step of entries) {
      expect(Math.abs(step.z)).toBeGreaterThanOrEqual(params.entryZ);
      const buy = step.signals.find((s) => s.direction === 'buy');
      const sell = step.signals.find((s) => s.direction === 'sell');
      // z < 0: y is cheap relative to x → buy y; z > 0: buy x.
      expect(buy?.market).toBe(step.z < 0 ? Y : X);
      expect(sell?.market).toBe(step.z < 0 ? X : Y);
      // Full conviction on both legs: a weaker entry would drown in the ensemble's vote.
      expect(buy?.strength).toBe(ENTRY_STRENGTH);
      expect(sell?.strength).toBe(ENTRY_STRENGTH);
    }
  });

  it('exits once the spread is back within exitZ (or has crossed zero), selling the long leg only', () => {
    const exits = steps.filter((s) => s.signals.some((x) => x.reason.startsWith('exit')));
    expect(exits.length).toBeGreaterThanOrEqual(3);
    const absZ: number[] = [];
    for (const step of exits) {
      expect(step.signals.map((s) => s.direction).sort()).toEqual(['flat', 'sell']);
      const sold = step.signals.find((s) => s.direction === 'sell')?.market;
      // Long spread (bought y) exits when z ≥ −exitZ; short spread (bought x) when z ≤ exitZ.
      if (sold === Y) expect(step.z).toBeGreaterThanOrEqual(-params.exitZ);
      else expect(step.z).toBeLessThanOrEqual(params.exitZ);
      absZ.push(Math.abs(step.z));
    }
    absZ.sort((a, b) => a - b);
    expect(absZ[Math.floor(absZ.length / 2)]).toBeLessThanOrEqual(params.exitZ);
  });

  it('alternates entry and exit (never two entries in a row)', () => {
    const kinds = steps.flatMap((s) =>
      s.signals.filter((x) => x.direction !== 'flat').length > 0
        ? [s.signals.some((x) => x.reason.startsWith('entry')) ? 'entry' : 'exit']
        : [],
    );
    for (let i = 1; i < kinds.length; i++) expect(kinds[i]).not.toBe(kinds[i - 1]);
    expect(kinds[0]).toBe('entry');
  });

  it('emits nothing before the formation window is full', () => {
    expect(steps.slice(0, params.lookbackBars - 1).every((s) => s.signals.length === 0)).toBe(true);
  });
});

describe('stat_arb drops pairs that are not (or no longer) cointegrated', () => {
  it('rejects two independent random walks at (nearly) every re-test and ends with the pair dropped', () => {
    const g = gaussian(11);
    let a = Math.log(1000);
    let b = Math.log(3000);
    const ys: number[] = [];
    const xs: number[] = [];
    for (let i = 0; i < 600; i++) {
      a += 0.02 * g();
      b += 0.02 * g();
      ys.push(Math.exp(a));
      xs.push(Math.exp(b));
    }
    const strategy = createStatArb(params, [Y, X]);
    const verdicts: boolean[] = [];
    for (let i = 0; i < ys.length; i++) {
      strategy.onBar(candle(X, i, xs[i] as number), ctx(i));
      strategy.onBar(candle(Y, i, ys[i] as number), ctx(i));
      const model = strategy.pairStatus()[0]?.model;
      if (model !== undefined && (i + 1 - params.lookbackBars) % params.retestEveryBars === 0)
        verdicts.push(model.tradable);
    }
    // A 5 % test on non-cointegrated data wrongly accepts ~5 % of windows (spurious cointegration).
    expect(verdicts.length).toBe(25);
    expect(verdicts.filter(Boolean).length).toBeLessThanOrEqual(3);
    expect(strategy.pairStatus()[0]?.model?.tradable).toBe(false);
    expect(strategy.pairStatus()[0]?.model?.verdict).toMatch(/not cointegrated/);
  });

  it('closes an open spread position with "pair dropped" when a re-test finds the relationship broken', () => {
    const { ys, xs } = cointegratedPair(400, 7);
    const g = gaussian(99);
    // After bar 400, y slides away on its own: the spread opens long and never reverts.
    let ly = Math.log(ys[399] as number);
    let lx = Math.log(xs[399] as number);
    for (let i = 0; i < 200; i++) {
      ly += 0.01 * g() - 0.01;
      lx += 0.01 * g();
      ys.push(Math.exp(ly));
      xs.push(Math.exp(lx));
    }
    const noStop = { ...params, stopZ: 1_000 };
    const strategy = createStatArb(noStop, [Y, X]);
    const steps = run(strategy, ys, xs);
    const signals = steps.slice(400).flatMap((s) => s.signals);
    const dropped = signals.filter((s) => s.reason.startsWith('pair dropped'));
    expect(dropped.map((s) => [s.market, s.direction])).toEqual([
      [Y, 'sell'],
      [X, 'flat'],
    ]);
    expect(strategy.pairStatus()[0]?.model?.tradable).toBe(false);
    expect(strategy.pairStatus()[0]?.position).toBe('flat');
  });

  it('refuses inconsistent thresholds at construction', () => {
    expect(() => createStatArb({ ...params, exitZ: 2.5 }, [Y, X])).toThrow(/exitZ < entryZ < stopZ/);
  });
});

describe('stat_arb lookahead: truncation invariance on real BTC/ETH daily closes', () => {
  const data = JSON.parse(readFileSync(join(FIXTURES, 'btc-eth-daily-bitstamp.json'), 'utf8')) as {
    btc: number[];
    eth: number[];
  };
  const loose: StatArbParams = {
    ...params,
    lookbackBars: 60,
    retestEveryBars: 10,
    maxPValue: 0.5,
    maxHalfLifeBars: 60,
    entryZ: 1.5,
    exitZ: 0.3,
    stopZ: 3,
  };

  it('signals at t are identical whether fed bars 0..t or 0..N', () => {
    const full = run(createStatArb(loose, [Y, X]), data.eth, data.btc);
    expect(full.flatMap((s) => s.signals).length).toBeGreaterThan(0);
    for (const t of [70, 131, 200, 257, 333, data.eth.length - 1]) {
      const cut = run(createStatArb(loose, [Y, X]), data.eth.slice(0, t + 1), data.btc.slice(0, t + 1));
      expect(cut[t]).toEqual(full[t]);
    }
  });

  it('reads no clock and no random source', () => {
    const now = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('clock read');
    });
    const random = jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('random read');
    });
    try {
      expect(() => run(createStatArb(loose, [Y, X]), data.eth, data.btc)).not.toThrow();
    } finally {
      now.mockRestore();
      random.mockRestore();
    }
  });
});
