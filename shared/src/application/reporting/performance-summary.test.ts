import fc from 'fast-check';
import { ManualClock } from '../../adapters/memory/manual-clock';
import { MemoryEquityHistoryStore } from '../../adapters/memory/memory-equity-history-store';
import { MemoryStateStore } from '../../adapters/memory/memory-state-store';
import type { Market } from '../../domain/market/market-id';
import { Decimal, ZERO } from '../../domain/money/decimal';
import { krw, price, volume } from '../../domain/money/quantities';
import { type DecisionId, type OrderIdentifier, orderIdentifier } from '../../domain/orders/identifiers';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Fill } from '../../domain/trading/fill';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { recordFill } from '../risk/record-fill';
import { type PerformanceSummaryInput, summarizePerformance } from './performance-summary';
import { toReportJson } from './report-json';

const BTC = 'KRW-BTC' as Market;
const ETH = 'KRW-ETH' as Market;
/** 2026-11-25 00:00 KST. */
const DAY0 = Date.parse('2026-11-25T00:00:00+09:00') as EpochMs;
const FEE = new Decimal('0.0005');
const EQUITY = krw('10000000');

function id(name: string): OrderIdentifier {
  return orderIdentifier(name as DecisionId);
}

function fill(
  fillId: string,
  order: string,
  side: 'bid' | 'ask',
  p: string,
  v: string,
  at: number,
  overrides: Partial<Fill> = {},
): Fill {
  const value = new Decimal(p).times(v);
  return {
    fillId,
    identifier: id(order),
    market: BTC,
    strategy: 'momentum_scalping',
    side,
    price: price(p),
    volume: volume(v),
    fee: krw(value.times(FEE)),
    isMaker: false,
    at: at as EpochMs,
    ...overrides,
  };
}

function setup() {
  const store = new MemoryStateStore();
  const equity = new MemoryEquityHistoryStore();
  const clock = new ManualClock(DAY0 + 20 * MS.hour);
  const deps = { journal: store, equity, clock };
  const input: PerformanceSummaryInput = {
    from: DAY0,
    to: (DAY0 + MS.day) as EpochMs,
    dailyGoalPct: 2,
    strategyCapital: krw('2000000'),
    sellFeeRate: FEE,
  };
  const book = async (f: Fill) => recordFill(store, f, EQUITY);
  const point = (at: number, e: string) =>
    equity.putPoint({ at: at as EpochMs, equity: krw(e), cash: krw(e), holdings: krw('0'), unpriced: [] });
  return { store, equity, clock, deps, input, book, point };
}

describe('summarizePerformance', () => {
  it('scores closed trades exactly from the realised PnL booked with each fill', async () => {
    const { deps, input, book } = setup();
    // Win: buy 0.01 at 100,000,000 (cost 1,000,500 with fee), sell at 101,000,000 (fee 505): +8,995.
    await book(fill('f1', 'd1', 'bid', '100000000', '0.01', DAY0 + MS.hour));
    await book(fill('f2', 'd2', 'ask', '101000000', '0.01', DAY0 + 2 * MS.hour));
    // Loss: buy 0.01 at 100,000,000 (1,000,500), sell at 99,500,000 (fee 497.5): -5,997.5.
    await book(fill('f3', 'd3', 'bid', '100000000', '0.01', DAY0 + 3 * MS.hour));
    await book(fill('f4', 'd4', 'ask', '99500000', '0.01', DAY0 + 4 * MS.hour));
    const s = await summarizePerformance(deps, input);
    const m = s.byStrategy.find((b) => b.strategy === 'momentum_scalping');
    expect(m?.realizedPnl.toFixed()).toBe('2997.5');
    expect(m?.trades).toBe(2);
    expect(m?.wins).toBe(1);
    expect(m?.losses).toBe(1);
    expect(m?.winRatePct).toBe(50);
    expect(m?.averagePnl?.toFixed()).toBe('1498.75');
    expect(m?.averageWin?.toFixed()).toBe('8995');
    expect(m?.averageLoss?.toFixed()).toBe('-5997.5');
    expect(m?.plRatio).toBeCloseTo(8995 / 5997.5, 12);
    expect(m?.profitFactor).toBeCloseTo(8995 / 5997.5, 12);
    expect(m?.fees.toFixed()).toBe('2002.5');
    expect(m?.fills).toBe(4);
    expect(m?.tradesPerDay).toBe(2);
    expect(s.total.realizedPnl.toFixed()).toBe('2997.5');
    expect(s.byStrategy.find((b) => b.strategy === 'stat_arb')?.trades).toBe(0);
    // Per-strategy series: realised PnL over the allocated 2,000,000.
    expect(m?.series.daily).toHaveLength(1);
    expect(m?.series.daily[0]?.pnl.toFixed()).toBe('2997.5');
    expect(m?.series.daily[0]?.returnPct).toBeCloseTo((2997.5 / 2_000_000) * 100, 12);
  });

  it('counts the partial fills of one sell order as one trade', async () => {
    const { deps, input, book } = setup();
    await book(fill('b', 'd1', 'bid', '100000000', '0.02', DAY0 + MS.hour));
    await book(fill('s1', 'd2', 'ask', '101000000', '0.005', DAY0 + 2 * MS.hour));
    await book(fill('s2', 'd2', 'ask', '101000000', '0.005', DAY0 + 2 * MS.hour + 1));
    await book(fill('s3', 'd2', 'ask', '101000000', '0.01', DAY0 + 2 * MS.hour + 2));
    const s = await summarizePerformance(deps, input);
    expect(s.total.trades).toBe(1);
    expect(s.total.fills).toBe(4);
    // Two round trips' worth: 2 × 8,995 (the cost splits pro rata, exactly).
    expect(s.total.realizedPnl.toFixed()).toBe('17990');
  });

  it('adds the unrealised PnL of held positions at the given marks, net of the sell fee', async () => {
    const { deps, input, book } = setup();
    await book(fill('b', 'd1', 'bid', '100000000', '0.01', DAY0 + MS.hour));
    await book(
      fill('e', 'd2', 'bid', '4000000', '0.1', DAY0 + MS.hour, { market: ETH, strategy: 'stat_arb' }),
    );
    const noMarks = await summarizePerformance(deps, input);
    expect(noMarks.total.unrealizedPnl).toBeUndefined();
    expect(noMarks.total.totalPnl.toFixed()).toBe('0');
    const s = await summarizePerformance(deps, { ...input, marks: new Map([[BTC, price('102000000')]]) });
    // 0.01 × 102,000,000 × (1 − 0.0005) − 1,000,500 = 18,990.
    expect(s.byStrategy.find((b) => b.strategy === 'momentum_scalping')?.unrealizedPnl?.toFixed()).toBe(
      '18990',
    );
    expect(s.total.unrealizedPnl?.toFixed()).toBe('18990');
    expect(s.total.openPositions).toBe(2);
    expect(s.unpricedMarkets).toEqual([ETH]);
    expect(s.warnings.map((w) => w.code)).toContain('unpriced_positions');
  });

  it('reads return, drawdown, Sharpe and the daily goal from the equity history', async () => {
    const { deps, input, point } = setup();
    await point(DAY0 - MS.hour, '10000000'); // previous close: the first day's reference
    await point(DAY0 + MS.hour, '10300000');
    await point(DAY0 + 2 * MS.hour, '10094000'); // 2 % below the peak
    await point(DAY0 + 3 * MS.hour, '10250000');
    const s = await summarizePerformance(deps, input);
    expect(s.account?.startEquity.toFixed()).toBe('10000000');
    expect(s.account?.endEquity.toFixed()).toBe('10250000');
    expect(s.account?.equityChange.toFixed()).toBe('250000');
    expect(s.account?.lowEquity.toFixed()).toBe('10094000');
    expect(s.account?.highEquity.toFixed()).toBe('10300000');
    expect(s.account?.returnPct).toBeCloseTo(2.5, 12);
    expect(s.account?.maxDrawdownPct).toBeCloseTo(2, 12);
    expect(s.account?.daily).toEqual([{ day: '2026-11-25', returnPct: expect.closeTo(2.5, 12) }]);
    expect(s.account?.dailyGoal).toMatchObject({ days: 1, hit: 1, hitRatePct: 100 });
    expect(s.account?.dailyGoal.lastDay?.reached).toBe(true);
    expect(s.account?.dailyGoal.lastDay?.progressPct).toBeCloseTo(125, 9);
    expect(s.account?.ratios.sharpe).toBeUndefined(); // one day says nothing about dispersion
    expect(s.warnings.map((w) => w.code)).toEqual(['few_daily_returns']);
  });

  it('flags Sharpe unreliable below 30 daily returns and reliable from 30', async () => {
    const { deps, input, point } = setup();
    let e = 10_000_000;
    for (let d = 0; d < 30; d++) {
      e *= d % 3 === 0 ? 0.99 : 1.012;
      await point(DAY0 + d * MS.day + 12 * MS.hour, e.toFixed(0));
    }
    const short = await summarizePerformance(deps, { ...input, to: (DAY0 + 29 * MS.day) as EpochMs });
    expect(short.account?.ratios).toMatchObject({ dailyReturns: 29, reliable: false });
    expect(short.account?.ratios.sharpe).toEqual(expect.any(Number));
    expect(short.warnings[0]?.code).toBe('few_daily_returns');
    const long = await summarizePerformance(deps, { ...input, to: (DAY0 + 30 * MS.day) as EpochMs });
    expect(long.account?.ratios).toMatchObject({ dailyReturns: 30, reliable: true });
    expect(long.warnings).toEqual([]);
    expect(long.account?.dailyGoal.days).toBe(30);
  });

  it('says so when there is no equity history, and leaves sells booked without a PnL unscored', async () => {
    const { store, deps, input } = setup();
    const f = fill('raw', 'd9', 'ask', '100000000', '0.001', DAY0 + MS.hour);
    await store.applyFill(
      f,
      {
        item: {
          market: BTC,
          strategy: 'momentum_scalping',
          volume: volume('0'),
          cost: krw('0'),
          realizedPnl: krw('0'),
          feesPaid: krw('0'),
          updatedAt: f.at,
          version: 0,
        },
        expectedVersion: 0,
      },
      [],
    );
    const s = await summarizePerformance(deps, input);
    expect(s.account).toBeUndefined();
    expect(s.total.trades).toBe(0);
    expect(s.total.unscoredTrades).toBe(1);
    expect(s.total.fills).toBe(1);
    expect(s.warnings.map((w) => w.code)).toEqual(['no_equity_history', 'unscored_trades']);
  });

  it('lists the operator only when it traded or holds something', async () => {
    const { deps, input, book } = setup();
    expect((await summarizePerformance(deps, input)).byStrategy.map((b) => b.strategy)).not.toContain(
      'operator',
    );
    await book(fill('o', 'op1', 'bid', '100000000', '0.001', DAY0 + MS.hour, { strategy: 'operator' }));
    expect((await summarizePerformance(deps, input)).byStrategy.map((b) => b.strategy)).toContain('operator');
  });

  it('refuses an empty, inverted or over-long range', async () => {
    const { deps, input } = setup();
    await expect(summarizePerformance(deps, { ...input, to: input.from })).rejects.toMatchObject({
      kind: 'rejected',
      code: 'invalid_range',
    });
    await expect(
      summarizePerformance(deps, { ...input, to: (input.from + 401 * MS.day) as EpochMs }),
    ).rejects.toMatchObject({ code: 'range_too_long' });
  });

  it('serialises money as exact decimal text and ratios as rounded numbers', async () => {
    const { deps, input, book } = setup();
    await book(fill('f1', 'd1', 'bid', '100000000', '0.01', DAY0 + MS.hour));
    await book(fill('f2', 'd2', 'ask', '101000000.5', '0.01', DAY0 + 2 * MS.hour));
    const json = toReportJson(await summarizePerformance(deps, input)) as {
      total: Record<string, unknown>;
      account: unknown;
    };
    expect(json.total.realizedPnl).toBe('8995.0049975');
    expect(json.total.profitFactor).toBeNull(); // Infinity: profits, no losses
    expect(json.account).toBeNull();
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('property: total realised PnL equals the sum over strategies and the positions’ own books', async () => {
    const strategies: StrategyName[] = ['market_making', 'stat_arb', 'mean_reversion'];
    const step = fc.record({
      strategy: fc.constantFrom(...strategies),
      buy: fc.boolean(),
      tick: fc.integer({ min: 90_000, max: 110_000 }),
      units: fc.integer({ min: 1, max: 50 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const { store, deps, input, book } = setup();
        const held = new Map<StrategyName, number>();
        for (const [i, s] of steps.entries()) {
          const have = held.get(s.strategy) ?? 0;
          const units = s.buy ? s.units : Math.min(s.units, have);
          if (units === 0) continue;
          held.set(s.strategy, have + (s.buy ? units : -units));
          const v = new Decimal(units).div(10_000).toFixed();
          await book(
            fill(`f${i}`, `d${i}`, s.buy ? 'bid' : 'ask', `${s.tick}000`, v, DAY0 + i * MS.minute, {
              strategy: s.strategy,
            }),
          );
        }
        const summary = await summarizePerformance(deps, input);
        const perStrategy = summary.byStrategy.reduce((acc, b) => acc.plus(b.realizedPnl), ZERO);
        const books = (await store.listPositions()).reduce((acc, p) => acc.plus(p.realizedPnl), ZERO);
        expect(summary.total.realizedPnl.eq(perStrategy)).toBe(true);
        expect(summary.total.realizedPnl.eq(books)).toBe(true);
        expect(summary.total.grossProfit.minus(summary.total.grossLoss).eq(summary.total.realizedPnl)).toBe(
          true,
        );
      }),
      { numRuns: 60 },
    );
  });
});
