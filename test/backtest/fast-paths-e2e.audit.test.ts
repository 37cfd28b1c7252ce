/**
 * Audit (audit6): the backtest as shipped against the same backtest with its fast paths switched
 * off (test/backtest/support/fast-vs-reference.ts), on hand-made markets where the identity matrix
 * never goes: low-priced markets on fractional tick grids, prices crossing a tick-table band edge
 * inside a bar and between quote layers, prices below 1 KRW, old tick tables with per-asset
 * overrides, two markets at once, random capitals, fees and limits that bind. Claim: the JSON
 * result is the same text.
 */
import fc from 'fast-check';
import type { BacktestInput } from '../../shared/src/backtest/engine/backtest-input';
import type { Candle } from '../../shared/src/domain/market/market-data';
import { type Market, parseMarket } from '../../shared/src/domain/market/market-id';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';
import { type EngineLib, fastAndReference, firstDifference } from './support/fast-vs-reference';

/**
 * A seeded walk of 1-minute bars around `level`: closes move a quarter of `stepBps` at most (so
 * market making's volatility and spread stay small), wicks reach up to 4 × `stepBps` (so its
 * layers fill), and the walk is pulled back to the level so it keeps crossing it.
 */
function walk(
  market: Market,
  start: number,
  level: number,
  bars: number,
  stepBps: number,
  seed: number,
  wickBps = stepBps * 4,
): Candle[] {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  const out: Candle[] = [];
  let price = level;
  for (let i = 0; i < bars; i++) {
    const open = price;
    const drift = ((level - price) / level) * 0.2;
    const close = Math.max(level * 0.2, open * (1 + drift + ((rnd() - 0.5) * stepBps) / 4e4));
    const high = Math.max(open, close) * (1 + (rnd() * wickBps) / 1e4);
    const low = Math.min(open, close) * (1 - (rnd() * wickBps) / 1e4);
    // Now and then a bar of 1e-8 coins (a single smallest trade).
    const volume = rnd() < 0.03 ? 1e-8 : 1 + rnd() * (3e7 / level);
    out.push({
      market,
      timeframe: '1m',
      openTime: (start + i * MS.minute) as EpochMs,
      open,
      high,
      low,
      close,
      volume,
      quoteVolume: volume * close,
    });
    price = close;
  }
  return out;
}

interface Money {
  readonly capital: string;
  readonly fee: string;
  readonly maxTotal: string;
  readonly maxStrategy: string;
  readonly maxMarket: string;
  readonly maxTrade: string;
}

const SEED_MONEY: Money = {
  capital: '10000000',
  fee: '0.0005',
  maxTotal: '10000000',
  maxStrategy: '2000000',
  maxMarket: '3000000',
  maxTrade: '500000',
};

function input(
  lib: EngineLib,
  candles: ReadonlyMap<Market, Candle[]>,
  strategies: 'all' | readonly StrategyName[],
  money: Money = SEED_MONEY,
): BacktestInput {
  return {
    candlesByMarket: candles,
    timeframe: '1m',
    strategies,
    capital: lib.krw(money.capital),
    feeRate: new lib.Decimal(money.fee),
    slippageBps: 2,
    seed: 11,
    risk: {
      ...lib.DEFAULT_RISK_LIMITS,
      maxTotalExposure: lib.krw(money.maxTotal),
      maxStrategyExposure: lib.krw(money.maxStrategy),
      maxMarketExposure: lib.krw(money.maxMarket),
      maxTradeNotional: lib.krw(money.maxTrade),
      // Loose fat-finger guards, so the coarse grids of low-priced markets still quote and fill.
      fatFinger: {
        maxDeviationFromLastTrade: new lib.Decimal('0.25'),
        bookBandTolerance: new lib.Decimal('0.2'),
        maxDepthFraction: new lib.Decimal('0.6'),
      },
    },
  };
}

const AFTER_2025 = Date.parse('2025-09-01T00:00:00Z');
const IN_2024 = Date.parse('2024-11-04T00:00:00Z'); // 2024-10-01 table: ADA's 100–1,000 band is 1 KRW
const MID_2025 = Date.parse('2025-04-07T00:00:00Z'); // 2025-03-21 table: USDT's 1,000+ band is 0.5 KRW

interface Scene {
  readonly name: string;
  readonly market: string;
  readonly start: number;
  readonly level: number;
  readonly stepBps: number;
}

const SCENES: readonly Scene[] = [
  {
    name: 'around the 100 KRW edge (0.1 below, 1 above), 2025 table',
    market: 'KRW-XRP',
    start: AFTER_2025,
    level: 100.2,
    stepBps: 30,
  },
  {
    name: 'around the 1 KRW edge (0.001 below, 0.01 above)',
    market: 'KRW-AAA',
    start: AFTER_2025,
    level: 1.0004,
    stepBps: 150,
  },
  {
    name: 'below 1 KRW: 0.0001 ticks around 0.01–0.1',
    market: 'KRW-BTT',
    start: AFTER_2025,
    level: 0.0123,
    stepBps: 150,
  },
  {
    name: 'far below 1 KRW: 1e-6 ticks (huge volumes)',
    market: 'KRW-PEPE',
    start: AFTER_2025,
    level: 0.000513,
    stepBps: 150,
  },
  {
    name: 'around the 5,000 KRW edge (1 below, 5 above)',
    market: 'KRW-AAA',
    start: AFTER_2025,
    level: 5001,
    stepBps: 20,
  },
  {
    name: 'around the 10 KRW edge (0.01 below, 0.1 above)',
    market: 'KRW-AAA',
    start: AFTER_2025,
    level: 10.003,
    stepBps: 150,
  },
  {
    name: 'ADA on the 2024-10 table: 1 KRW override at 100–1,000, 0.01 below',
    market: 'KRW-ADA',
    start: IN_2024,
    level: 100.4,
    stepBps: 30,
  },
  {
    name: 'USDT on the 2025-03 table: 0.5 KRW override from 1,000',
    market: 'KRW-USDT',
    start: MID_2025,
    level: 1000.6,
    stepBps: 15,
  },
];

function tradesOf(json: string): number {
  return (JSON.parse(json) as { trades: unknown[] }).trades.length;
}

describe('audit: fast engine vs reference engine on hand-made markets (claim: the same JSON result)', () => {
  for (const scene of SCENES)
    it(`market making, ${scene.name}`, async () => {
      const market = parseMarket(scene.market);
      const candles = new Map([[market, walk(market, scene.start, scene.level, 300, scene.stepBps, 7)]]);
      const { fast, reference } = await fastAndReference((lib) => input(lib, candles, ['market_making']));
      expect(firstDifference(fast, reference)).toBe('identical');
      expect(tradesOf(fast)).toBeGreaterThan(0);
    });

  it('all strategies on two low-priced markets at once (the multi-market books and exposure)', async () => {
    const a = parseMarket('KRW-XRP');
    const b = parseMarket('KRW-ADA');
    const candles = new Map([
      [a, walk(a, IN_2024, 100.3, 500, 40, 3)],
      [b, walk(b, IN_2024, 999.2, 500, 40, 5)],
    ]);
    const { fast, reference } = await fastAndReference((lib) => input(lib, candles, 'all'));
    expect(firstDifference(fast, reference)).toBe('identical');
    expect(tradesOf(fast)).toBeGreaterThan(5);
  });

  it('random markets, grids, tables, capital, fees and limits that bind (funds, exposure, per-trade)', async () => {
    // Run locally with 400 + 60 cases (seeds 77 and 1): identical every time; a few here.
    const levels = [100.2, 1.0004, 0.0123, 0.000513, 5001, 10.003, 999.7, 1000.6, 50_010, 1_000_100, 0.10002];
    const starts = [
      AFTER_2025,
      IN_2024,
      MID_2025,
      Date.parse('2023-06-01T00:00:00Z'),
      Date.parse('2024-12-31T14:30:00Z'),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          level: fc.constantFrom(...levels),
          start: fc.constantFrom(...starts),
          market: fc.constantFrom('KRW-ADA', 'KRW-USDT', 'KRW-XRP'),
          stepBps: fc.integer({ min: 1, max: 60 }),
          wickBps: fc.integer({ min: 5, max: 300 }),
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          two: fc.boolean(),
          all: fc.boolean(),
          money: fc.record({
            capital: fc.constantFrom('20000', '150000', '500003', '10000000', '1234567.89'),
            fee: fc.constantFrom('0.0005', '0.0025', '0.00139'),
            maxTotal: fc.constantFrom('10000000', '300000', '150001', '99999.5'),
            maxStrategy: fc.constantFrom('2000000', '250000', '100000'),
            maxMarket: fc.constantFrom('3000000', '200000', '120000'),
            maxTrade: fc.constantFrom('500000', '60000', '30000.1'),
          }),
        }),
        async (c) => {
          const a = parseMarket(c.market);
          const candles = new Map([[a, walk(a, c.start, c.level, 240, c.stepBps, c.seed, c.wickBps)]]);
          const b = parseMarket('KRW-ETH');
          if (c.two) candles.set(b, walk(b, c.start, c.level * 3.3, 240, c.stepBps, c.seed + 1, c.wickBps));
          const strategies = c.all ? 'all' : (['market_making'] as const);
          const { fast, reference } = await fastAndReference((lib) =>
            input(lib, candles, strategies, c.money),
          );
          expect(firstDifference(fast, reference)).toBe('identical');
        },
      ),
      { numRuns: 8, seed: 20_261_205 },
    );
  });
});
