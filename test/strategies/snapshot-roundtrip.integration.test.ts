import { syntheticCandles, syntheticMarkets } from '../../bench/synthetic-candles';
import type { Candle } from '../../shared/src/domain/market/market-data';
import type { Market } from '../../shared/src/domain/market/market-id';
import { createStrategy } from '../../shared/src/domain/strategies/create-strategy';
import {
  base64ToFloat64,
  float64ToBase64,
  SnapshotMismatchError,
  type StateNode,
} from '../../shared/src/domain/strategies/state-codec';
import type { Strategy, StrategyContext, StrategySignal } from '../../shared/src/domain/strategies/strategy';
import {
  DEFAULT_STRATEGY_PARAMS,
  type StrategyParamsByName,
} from '../../shared/src/domain/strategies/strategy-params';
import { type EpochMs, parseIsoUtc } from '../../shared/src/domain/time/epoch';
import { STRATEGY_NAMES, type StrategyName } from '../../shared/src/domain/trading/strategy-name';
import { keptSignals } from '../../shared/testing/kept-signals';
import { binance7dCandles } from './real-data';

const MARKETS = syntheticMarkets(3);
const START = parseIsoUtc('2026-01-01T00:00:00Z');

/** Two days of three co-moving synthetic markets plus real BTC minutes as the first market's shape. */
function minuteBars(): Candle[][] {
  const series = MARKETS.map((m, i) => [...syntheticCandles(m, i, START, 2 * 1440, 11)]);
  const steps: Candle[][] = [];
  for (let t = 0; t < 2 * 1440; t++) steps.push(series.map((s) => s[t] as Candle));
  return steps;
}

function ctx(bar: Candle): StrategyContext {
  return { now: (bar.openTime + 60_000) as EpochMs, positionVolume: 0, availableKrw: 1_000_000 };
}

function feed(s: Strategy, steps: readonly Candle[][], from: number, to: number): StrategySignal[] {
  const out: StrategySignal[] = [];
  // Copies (keptSignals): market making refills its quote columns on its next signal.
  for (let t = from; t < to; t++)
    for (const bar of steps[t] as Candle[]) out.push(...keptSignals(s.onBar(bar, ctx(bar))));
  return out;
}

/** Saves every market through JSON text (what the store holds) and loads it into a fresh instance. */
function throughSnapshot(s: Strategy, make: () => Strategy): Strategy {
  const saved = JSON.stringify(Object.fromEntries(s.markets.map((m) => [m, s.saveMarketState?.(m)])));
  const restored = make();
  expect(restored.stateKey).toBe(s.stateKey);
  const parsed = JSON.parse(saved) as Record<string, StateNode>;
  for (const m of restored.markets) restored.loadMarketState?.(m, parsed[m] as StateNode);
  return restored;
}

const params = (timeframe: '1m' | '3m'): StrategyParamsByName => {
  const out: Record<string, unknown> = {};
  for (const n of STRATEGY_NAMES) out[n] = { ...DEFAULT_STRATEGY_PARAMS[n], timeframe };
  return out as unknown as StrategyParamsByName;
};

describe('strategy snapshots', () => {
  const steps = minuteBars();

  it.each([
    ...STRATEGY_NAMES.map((n) => [n, '1m'] as const),
    ['momentum_scalping', '3m'] as const,
    ['mean_reversion', '3m'] as const,
  ])('%s (%s): a run restored from a snapshot every 97 minutes equals an uninterrupted run', (name, tf) => {
    const make = () => createStrategy(name as StrategyName, params(tf), MARKETS);
    const straight = feed(make(), steps, 0, steps.length);
    let s = make();
    const pieces: StrategySignal[] = [];
    for (let from = 0; from < steps.length; from += 97) {
      pieces.push(...feed(s, steps, from, Math.min(steps.length, from + 97)));
      s = throughSnapshot(s, make);
    }
    expect(pieces).toEqual(straight);
    expect(straight.length).toBeGreaterThan(0);
  });

  it('is compact: one market of every strategy at the default parameters is a few tens of KB', () => {
    const all = STRATEGY_NAMES.map((n) => createStrategy(n, params('1m'), MARKETS));
    for (const s of all) feed(s, steps, 0, 600);
    const bytes = all.reduce(
      (sum, s) => sum + JSON.stringify(s.saveMarketState?.(MARKETS[0] as Market)).length,
      0,
    );
    expect(bytes).toBeLessThan(60_000);
  });

  it('keys the snapshot by parameters: other parameters give another state key', () => {
    const a = createStrategy('mean_reversion', params('1m'), MARKETS);
    const b = createStrategy(
      'mean_reversion',
      { ...params('1m'), mean_reversion: { ...params('1m').mean_reversion, bollingerPeriod: 21 } },
      MARKETS,
    );
    expect(a.stateKey).toMatch(/^mean_reversion\/v1\//);
    expect(b.stateKey).not.toBe(a.stateKey);
  });

  it('refuses a snapshot that does not fit and leaves the market as it was', () => {
    const make = () => createStrategy('momentum_scalping', params('1m'), MARKETS);
    const s = make();
    feed(s, steps, 0, 300);
    const market = MARKETS[0] as Market;
    const before = JSON.stringify(s.saveMarketState?.(market));
    const other = createStrategy(
      'momentum_scalping',
      { ...params('1m'), momentum_scalping: { ...params('1m').momentum_scalping, slowWma: 30 } },
      MARKETS,
    );
    feed(other, steps, 0, 300);
    const wrong = other.saveMarketState?.(market) as StateNode;
    expect(() => s.loadMarketState?.(market, wrong)).toThrow(SnapshotMismatchError);
    expect(JSON.stringify(s.saveMarketState?.(market))).toBe(before);
    expect(() => s.loadMarketState?.(market, { $: 'o', v: {} })).toThrow(/missing from the snapshot/);
  });

  it('round-trips float64 exactly, NaN and signed zero included', () => {
    const values = new Float64Array([0, -0, Number.NaN, 1e-300, -Number.MAX_VALUE, Math.PI, 135_000_000.5]);
    const back = base64ToFloat64(float64ToBase64(values));
    expect(Array.from(back).map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(
      Array.from(values).map((v) => (Object.is(v, -0) ? '-0' : String(v))),
    );
    expect(() => base64ToFloat64('abc')).toThrow(SnapshotMismatchError);
  });

  it('restores real minute data too (binance BTC, one market)', () => {
    const btc = binance7dCandles(MARKETS[0] as Market)
      .slice(0, 2000)
      .map((b) => [b]);
    for (const name of STRATEGY_NAMES.filter((n) => n !== 'stat_arb')) {
      const make = () => createStrategy(name, params('1m'), [MARKETS[0] as Market]);
      const straight = feed(make(), btc, 0, btc.length);
      const first = make();
      const head = feed(first, btc, 0, 1000);
      const tail = feed(throughSnapshot(first, make), btc, 1000, btc.length);
      expect([...head, ...tail]).toEqual(straight);
    }
  });
});
