import fc from 'fast-check';
import type { Candle } from '../market/market-data';
import type { Market } from '../market/market-id';
import type { EpochMs } from '../time/epoch';
import type { StrategyName } from '../trading/strategy-name';
import { StepSignals } from './step-signals';
import type { Strategy, StrategyContext, StrategySignal } from './strategy';
import { collectSignals } from './strategy-step';

const MARKETS = ['KRW-ADA', 'KRW-BTC', 'KRW-ETH'] as Market[];
const NAMES: StrategyName[] = ['market_making', 'momentum_scalping', 'mean_reversion'];
const NOW = 1_700_000_000_000 as EpochMs;
const CONTEXT: StrategyContext = { now: NOW, positionVolume: 0, availableKrw: 0 };

/** Per step, for each strategy, per bar, the markets of the signals it emits (any market, any count). */
const script = fc.array(
  fc.array(
    fc.array(fc.array(fc.constantFrom(...MARKETS), { maxLength: 3 }), { minLength: 3, maxLength: 3 }),
    {
      minLength: 1,
      maxLength: 3,
    },
  ),
  { minLength: 1, maxLength: 4 },
);

/** Emits the scripted signals of each call in turn (a new signal object for each). */
function scripted(name: StrategyName, perCall: readonly (readonly Market[])[]): Strategy {
  let call = 0;
  return {
    name,
    markets: MARKETS,
    warmupBars: 0,
    onBar: () =>
      (perCall[call++] ?? []).map(
        (market, i): StrategySignal => ({
          strategy: name,
          market,
          at: NOW,
          direction: 'flat',
          strength: 0,
          reason: `${name} ${call} ${i}`,
        }),
      ),
  };
}

/** The old collectSignals' map: a Map filled in emission order. */
function reference(emitted: readonly StrategySignal[]): Map<Market, StrategySignal[]> {
  const out = new Map<Market, StrategySignal[]>();
  for (const s of emitted) {
    const list = out.get(s.market);
    if (list === undefined) out.set(s.market, [s]);
    else list.push(s);
  }
  return out;
}

/** Every way of reading `got` gives what the map `want` gives. */
function expectSameMap(got: StepSignals, want: Map<Market, StrategySignal[]>): void {
  expect(got.size).toBe(want.size);
  expect([...got]).toEqual([...want]);
  expect([...got.entries()]).toEqual([...want.entries()]);
  expect([...got.keys()]).toEqual([...want.keys()]);
  expect([...got.values()]).toEqual([...want.values()]);
  const seen: [Market, StrategySignal[]][] = [];
  got.forEach((list, market, map) => {
    expect(map).toBe(got);
    seen.push([market, list]);
  });
  expect(seen).toEqual([...want]);
  const indexed: [Market, StrategySignal[]][] = [];
  for (let i = 0; i < got.size; i++) indexed.push([got.marketAt(i), got.listAt(i)]);
  expect(indexed).toEqual([...want]);
  for (const m of MARKETS) {
    expect(got.get(m)).toEqual(want.get(m));
    expect(got.has(m)).toBe(want.has(m));
    const k = got.indexOf(m);
    expect(k).toBe([...want.keys()].indexOf(m));
    if (k >= 0) expect(got.listAt(k)).toBe(got.get(m));
  }
}

describe('collectSignals’ StepSignals', () => {
  it('reads as the map of each step’s emitted signals, refilled step after step (counted)', () => {
    let oneMarket = 0;
    let several = 0;
    let none = 0;
    fc.assert(
      fc.property(script, fc.integer({ min: 1, max: 3 }), (steps, barCount) => {
        const strategyCount = Math.min(...steps.map((s) => s.length));
        // Strategy k's calls, step after step and bar after bar, as collectSignals makes them.
        const perCall = (k: number) => steps.flatMap((s) => (s[k] as Market[][]).slice(0, barCount));
        const strategies = NAMES.slice(0, strategyCount).map((n, k) => scripted(n, perCall(k)));
        const copies = NAMES.slice(0, strategyCount).map((n, k) => scripted(n, perCall(k)));
        const bars = MARKETS.slice(0, barCount).map((market) => ({ market }) as Candle);
        const contexts = { contextFor: () => CONTEXT };
        const reused = new StepSignals();
        for (let t = 0; t < steps.length; t++) {
          // The same strategies' output, recorded in the order collectSignals sees it.
          const emitted: StrategySignal[] = [];
          for (const bar of bars) for (const s of copies) emitted.push(...s.onBar(bar, CONTEXT));
          const want = reference(emitted);
          const got = collectSignals(strategies, bars, NOW, contexts, undefined, reused);
          expect(got).toBe(reused);
          if (want.size === 0) none += 1;
          if (want.size === 1) oneMarket += 1;
          if (want.size > 1) several += 1;
          expectSameMap(got, want);
        }
      }),
      { seed: 1206, numRuns: 1000 },
    );
    expect(none).toBeGreaterThan(20);
    expect(oneMarket).toBeGreaterThan(100);
    expect(several).toBeGreaterThan(100);
  });

  it('collects into a new StepSignals when given none (the minute analysis keeps each step’s)', () => {
    const emit = (market: Market): Strategy => ({
      name: 'market_making',
      markets: MARKETS,
      warmupBars: 0,
      onBar: () => [
        { strategy: 'market_making', market, at: NOW, direction: 'flat', strength: 0, reason: '' },
      ],
    });
    const bars = [{ market: MARKETS[0] } as Candle];
    const contexts = { contextFor: () => CONTEXT };
    const a = collectSignals([emit(MARKETS[0] as Market)], bars, NOW, contexts);
    const b = collectSignals([emit(MARKETS[1] as Market)], bars, NOW, contexts);
    expect(a).not.toBe(b);
    expect([...a.keys()]).toEqual([MARKETS[0]]);
    expect([...b.keys()]).toEqual([MARKETS[1]]);
  });
});
