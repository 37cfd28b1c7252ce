import fc from 'fast-check';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { StepSignals } from '../../domain/strategies/step-signals';
import type { StrategySignal } from '../../domain/strategies/strategy';
import { decidedMarkets } from '../../domain/strategies/strategy-step';
import type { EpochMs } from '../../domain/time/epoch';
import { StepMarkets } from './step-markets';

function bar(market: string): Candle {
  return {
    market: market as Market,
    timeframe: '1m',
    openTime: 0 as EpochMs,
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume: 0,
    quoteVolume: 0,
  };
}

/** A step's signals, one per named market (repeats included), refilled into `into`. */
function signalsOf(markets: readonly string[], into = new StepSignals()): StepSignals {
  into.begin();
  for (const market of markets)
    into.add({
      strategy: 'market_making',
      market: market as Market,
      at: 0 as EpochMs,
      direction: 'flat',
      strength: 0,
      reason: '',
    } satisfies StrategySignal);
  into.seal();
  return into;
}

// Codes that sort differently by code unit than by locale or case (the default sort's order).
const CODES = [
  'KRW-BTC',
  'KRW-ETH',
  'KRW-XRP',
  'KRW-ADA',
  'KRW-SOL',
  'krw-btc',
  'KRW-B',
  'KRW-BTC2',
  'KRW-É',
];

describe('StepMarkets', () => {
  it('answers what decidedMarkets answers, step after step on one reused list', () => {
    const step = fc.record({
      bars: fc.array(fc.constantFrom(...CODES), { maxLength: 6 }),
      sorted: fc.boolean(),
      signalled: fc.array(fc.constantFrom(...CODES), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const markets = new StepMarkets();
        // One StepSignals refilled step after step, as the engine's.
        const reused = new StepSignals();
        for (const s of steps) {
          const codes = s.sorted ? [...new Set(s.bars)].sort() : s.bars;
          const bars = codes.map(bar);
          const signals = signalsOf(s.signalled, reused);
          expect([...markets.of(bars, signals)]).toEqual(decidedMarkets(bars, signals));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reuses its list on the fast path and never hands out a list with stale markets', () => {
    const markets = new StepMarkets();
    const five = ['KRW-ADA', 'KRW-BTC', 'KRW-ETH', 'KRW-SOL', 'KRW-XRP'].map(bar);
    const first = markets.of(five, signalsOf([]));
    expect(first).toEqual(['KRW-ADA', 'KRW-BTC', 'KRW-ETH', 'KRW-SOL', 'KRW-XRP']);
    const second = markets.of(five.slice(1, 3), signalsOf(['KRW-ETH']));
    expect(second).toBe(first);
    expect(second).toEqual(['KRW-BTC', 'KRW-ETH']);
    // A signal for a market without a bar: the general answer, with that market in its place.
    expect(markets.of(five.slice(1, 3), signalsOf(['KRW-ADA']))).toEqual(['KRW-ADA', 'KRW-BTC', 'KRW-ETH']);
  });
});
