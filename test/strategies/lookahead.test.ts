import type { Market } from '../../shared/src/domain/market/market-id';
import { createStrategy } from '../../shared/src/domain/strategies/create-strategy';
import type { Strategy, StrategySignal } from '../../shared/src/domain/strategies/strategy';
import {
  DEFAULT_STRATEGY_PARAMS,
  type StrategyParamsByName,
} from '../../shared/src/domain/strategies/strategy-params';
import { STRATEGY_NAMES, type StrategyName } from '../../shared/src/domain/trading/strategy-name';
import { keptSignals } from '../../shared/testing/kept-signals';
import { binance7dCandles, binanceL1Events, btcEthDaily, contextAt, type MarketEvent } from './real-data';

const BTC = 'KRW-BTC' as Market;
const ETH = 'KRW-ETH' as Market;

/** Feeds events 0..end to a fresh strategy; element i holds the signals produced by event i. */
function run(
  make: () => Strategy,
  events: readonly MarketEvent[],
  end = events.length - 1,
): StrategySignal[][] {
  const s = make();
  const out: StrategySignal[][] = [];
  for (let i = 0; i <= end; i++) {
    const e = events[i] as MarketEvent;
    const ctx = contextAt(i, e.kind === 'bar' ? e.bar.openTime + 60_000 : e.at);
    // Copies (keptSignals): market making refills its quote columns on its next signal.
    if (e.kind === 'bar') out.push(keptSignals(s.onBar(e.bar, ctx)));
    else if (e.kind === 'book') out.push(keptSignals(s.onBook?.(e.book, ctx) ?? []));
    else out.push(keptSignals(s.onTrade?.(e.trade, ctx) ?? []));
  }
  return out;
}

const bars = (candles: ReturnType<typeof binance7dCandles>): MarketEvent[] =>
  candles.map((bar) => ({ kind: 'bar', at: bar.openTime, bar }));

const minute = bars(binance7dCandles(BTC));
const daily = (() => {
  const { btc, eth } = btcEthDaily(BTC, ETH);
  return btc.flatMap((b, i): MarketEvent[] => [
    { kind: 'bar', at: b.openTime, bar: b },
    { kind: 'bar', at: b.openTime, bar: eth[i] as (typeof eth)[number] },
  ]);
})();
const live = binanceL1Events(BTC);

const params: StrategyParamsByName = {
  ...DEFAULT_STRATEGY_PARAMS,
  // Daily closes: a looser pair screen than the 1m defaults, so the pair trades in 13 months of data.
  stat_arb: {
    ...DEFAULT_STRATEGY_PARAMS.stat_arb,
    timeframe: '1d',
    lookbackBars: 60,
    retestEveryBars: 10,
    maxPValue: 0.5,
    maxHalfLifeBars: 60,
    entryZ: 1.5,
    exitZ: 0.3,
    stopZ: 3,
  },
};

interface Case {
  readonly name: string;
  readonly strategy: StrategyName;
  readonly params: StrategyParamsByName;
  readonly events: readonly MarketEvent[];
  readonly minSignals: number;
}

const cases: Case[] = [
  // Two days suffice here: every bar emits ten quotes, so comparing 7 days of them 8 times is slow.
  {
    name: 'market_making on 2 days of 1m candles',
    strategy: 'market_making',
    params,
    events: minute.slice(0, 2880),
    minSignals: 2800,
  },
  { name: 'stat_arb on daily BTC/ETH closes', strategy: 'stat_arb', params, events: daily, minSignals: 2 },
  {
    name: 'microstructure (candle-only) on 7 days of 1m candles',
    strategy: 'microstructure',
    params,
    events: minute,
    minSignals: 50,
  },
  {
    name: 'microstructure (live book + tape) on 10 minutes of real L1 and trades',
    strategy: 'microstructure',
    params: {
      ...params,
      microstructure: { ...params.microstructure, volumeBarKrw: 50_000, ofiWindow: 20, threshold: 0.1 },
    },
    events: live,
    minSignals: 1,
  },
  {
    name: 'market_making (live book) on the same L1 capture',
    strategy: 'market_making',
    params: { ...params, market_making: { ...params.market_making, volatilityWindow: 3 } },
    events: live,
    minSignals: 100,
  },
  {
    name: 'momentum_scalping (1m) on 7 days of 1m candles',
    strategy: 'momentum_scalping',
    params,
    events: minute,
    minSignals: 50,
  },
  {
    name: 'momentum_scalping (5m built from 1m) on 7 days',
    strategy: 'momentum_scalping',
    params: { ...params, momentum_scalping: { ...params.momentum_scalping, timeframe: '5m' } },
    events: minute,
    minSignals: 10,
  },
  {
    name: 'mean_reversion on 7 days of 1m candles',
    strategy: 'mean_reversion',
    params,
    events: minute,
    minSignals: 50,
  },
];

describe('lookahead: truncation invariance on real data, for every strategy', () => {
  it('covers all five strategies', () => {
    expect(new Set(cases.map((c) => c.strategy))).toEqual(new Set(STRATEGY_NAMES));
  });

  it.each(cases)('$name: signals at t are identical fed 0..t or 0..N', (c) => {
    const make = () => createStrategy(c.strategy, c.params, c.strategy === 'stat_arb' ? [ETH, BTC] : [BTC]);
    const full = run(make, c.events);
    const emitted = full.filter((s) => s.length > 0).length;
    expect(emitted).toBeGreaterThanOrEqual(c.minSignals);
    const n = c.events.length;
    // Cut points: the first and last events, the first signal, and spread-out points in between.
    const first = full.findIndex((s) => s.length > 0);
    const cuts = new Set([
      0,
      first,
      Math.floor(n / 7),
      Math.floor(n / 3),
      Math.floor((2 * n) / 3),
      n - 2,
      n - 1,
    ]);
    for (const t of cuts) {
      const cut = run(make, c.events, t);
      expect(cut).toHaveLength(t + 1);
      expect(cut[t]).toEqual(full[t]);
      // Everything before t is identical too: later data never rewrote an earlier signal.
      expect(cut).toEqual(full.slice(0, t + 1));
    }
  });
});

describe('no strategy reads a clock, the environment or a random source', () => {
  it.each(cases)('$name runs with Date.now, new Date(), Math.random and process.env poisoned', (c) => {
    const RealDate = Date;
    const env = process.env;
    const poison = (what: string) => () => {
      throw new Error(`${c.strategy} read ${what}`);
    };
    const now = jest.spyOn(Date, 'now').mockImplementation(poison('Date.now()'));
    const random = jest.spyOn(Math, 'random').mockImplementation(poison('Math.random()'));
    const perf = jest.spyOn(performance, 'now').mockImplementation(poison('performance.now()'));
    class NoClockDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) throw new Error(`${c.strategy} read new Date()`);
        super(...(args as [string]));
      }
    }
    globalThis.Date = NoClockDate as DateConstructor;
    process.env = new Proxy(
      {},
      { get: (_t, key) => poison(`process.env.${String(key)}`)() },
    ) as NodeJS.ProcessEnv;
    try {
      const events = c.events.slice(0, Math.min(c.events.length, 3000));
      expect(() =>
        run(
          () => createStrategy(c.strategy, c.params, c.strategy === 'stat_arb' ? [ETH, BTC] : [BTC]),
          events,
        ),
      ).not.toThrow();
    } finally {
      process.env = env;
      globalThis.Date = RealDate;
      now.mockRestore();
      random.mockRestore();
      perf.mockRestore();
    }
  });
});
