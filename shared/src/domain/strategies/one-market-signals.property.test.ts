import fc from 'fast-check';
import type { Candle } from '../market/market-data';
import type { Market } from '../market/market-id';
import type { EpochMs } from '../time/epoch';
import type { StrategyName } from '../trading/strategy-name';
import type { Strategy, StrategyContext, StrategySignal } from './strategy';
import { collectSignals } from './strategy-step';

const MARKETS = ['KRW-ADA', 'KRW-BTC', 'KRW-ETH'] as Market[];
const NAMES: StrategyName[] = ['market_making', 'momentum_scalping', 'mean_reversion'];
const NOW = 1_700_000_000_000 as EpochMs;
const CONTEXT: StrategyContext = { now: NOW, positionVolume: 0, availableKrw: 0 };

/** For each strategy, per bar, the markets of the signals it emits (any market, any count). */
const script = fc.array(
  fc.array(fc.array(fc.constantFrom(...MARKETS), { maxLength: 3 }), { minLength: 3, maxLength: 3 }),
  { minLength: 1, maxLength: 3 },
);

function scripted(name: StrategyName, perBar: readonly (readonly Market[])[]): Strategy {
  let call = 0;
  return {
    name,
    markets: MARKETS,
    warmupBars: 0,
    onBar: () =>
      (perBar[call++] ?? []).map(
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

describe('collectSignals’ result', () => {
  it('reads as the map of the emitted signals: size, lookups, every iteration (counted)', () => {
    let oneMarket = 0;
    let several = 0;
    fc.assert(
      fc.property(script, fc.integer({ min: 1, max: 3 }), (perStrategy, barCount) => {
        const strategies = perStrategy.map((perBar, k) => scripted(NAMES[k] as StrategyName, perBar));
        const bars = MARKETS.slice(0, barCount).map((market) => ({ market }) as Candle);
        const emitted: StrategySignal[] = [];
        const recording = { contextFor: () => CONTEXT };
        // The same strategies' output, recorded in the order collectSignals sees it.
        const copies = perStrategy.map((perBar, k) => scripted(NAMES[k] as StrategyName, perBar));
        for (const bar of bars) for (const s of copies) emitted.push(...s.onBar(bar, CONTEXT));
        const got = collectSignals(strategies, bars, NOW, recording);
        const want = reference(emitted);
        if (want.size === 1) oneMarket += 1;
        if (want.size > 1) several += 1;
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
        for (const m of MARKETS) {
          expect(got.get(m)).toEqual(want.get(m));
          expect(got.has(m)).toBe(want.has(m));
        }
      }),
      { seed: 1206, numRuns: 1000 },
    );
    expect(oneMarket).toBeGreaterThan(100);
    expect(several).toBeGreaterThan(100);
  });
});
