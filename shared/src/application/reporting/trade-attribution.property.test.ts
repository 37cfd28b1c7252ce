import fc from 'fast-check';
import { aUnitFill, REPORT_FEE_RATE } from '../../../testing/state-builders';
import { ManualClock } from '../../adapters/memory/manual-clock';
import { MemoryEquityHistoryStore } from '../../adapters/memory/memory-equity-history-store';
import { MemoryStateStore } from '../../adapters/memory/memory-state-store';
import { type Decimal, ZERO } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Fill } from '../../domain/trading/fill';
import { recordFill } from '../risk/record-fill';
import { type PerformanceSummary, summarizePerformance } from './performance-summary';
import { SELL_ORDER_SPAN_MS } from './trade-stats';

/**
 * Trades are additive over ranges: however a period is cut into ranges (KST days or any instants),
 * each sell order is a trade of exactly one of them, the wins, losses and gross profit/loss of the
 * pieces add up to the whole, and so do realised PnL and fees, even for orders whose fills straddle
 * a cut. Orders here span at most a few hours (the executor's maker window is ≤ 1 h).
 */
const DAY0 = Date.parse('2026-11-24T00:00:00+09:00') as EpochMs;
const SPAN = 4 * MS.day;
const FEE = REPORT_FEE_RATE;
const SLOTS = [
  ['KRW-BTC', 'mean_reversion'],
  ['KRW-ETH', 'momentum_scalping'],
] as const;

const order = fc.record({
  slot: fc.integer({ min: 0, max: SLOTS.length - 1 }),
  start: fc.integer({ min: 0, max: SPAN - 6 * MS.hour }),
  buyPrice: fc.integer({ min: 1_000, max: 100_000 }),
  sells: fc.array(
    fc.record({
      price: fc.integer({ min: 900, max: 110_000 }),
      gap: fc.integer({ min: 1, max: 2 * MS.hour }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

function fillOf(
  id: string,
  ord: string,
  slot: number,
  side: 'bid' | 'ask',
  p: number,
  units: number,
  at: number,
): Fill {
  return aUnitFill(SLOTS[slot] as (typeof SLOTS)[number], { id, order: ord, side }, p, units, at);
}

async function booked(orders: readonly (typeof order extends fc.Arbitrary<infer T> ? T : never)[]) {
  const fills: Fill[] = [];
  orders.forEach((o, k) => {
    const units = 1_000_000 * o.sells.length;
    fills.push(fillOf(`b${k}`, `buy${k}`, o.slot, 'bid', o.buyPrice, units, DAY0 + o.start));
    let at = DAY0 + o.start + 1;
    o.sells.forEach((s, j) => {
      at += s.gap;
      fills.push(fillOf(`s${k}.${j}`, `sell${k}`, o.slot, 'ask', s.price, 1_000_000, at));
    });
  });
  fills.sort((a, b) => a.at - b.at);
  const store = new MemoryStateStore();
  for (const f of fills) await recordFill(store, f, krw('100000000'));
  const deps = {
    journal: store,
    equity: new MemoryEquityHistoryStore(),
    clock: new ManualClock(DAY0 + SPAN + MS.day),
  };
  return { deps, sells: orders.length };
}

const INPUT = { dailyGoalPct: 2, strategyCapital: krw('2000000'), sellFeeRate: FEE };

function sums(parts: readonly PerformanceSummary[]) {
  const add = (pick: (p: PerformanceSummary) => Decimal) =>
    parts.reduce((s, p) => s.plus(pick(p)), ZERO).toFixed();
  return {
    trades: parts.reduce((n, p) => n + p.total.trades, 0),
    wins: parts.reduce((n, p) => n + p.total.wins, 0),
    losses: parts.reduce((n, p) => n + p.total.losses, 0),
    grossProfit: add((p) => p.total.grossProfit),
    grossLoss: add((p) => p.total.grossLoss),
    realizedPnl: add((p) => p.total.realizedPnl),
    fees: add((p) => p.total.fees),
  };
}

function figures(s: PerformanceSummary) {
  const t = s.total;
  return {
    trades: t.trades,
    wins: t.wins,
    losses: t.losses,
    grossProfit: t.grossProfit.toFixed(),
    grossLoss: t.grossLoss.toFixed(),
    realizedPnl: t.realizedPnl.toFixed(),
    fees: t.fees.toFixed(),
  };
}

describe('trade attribution across range cuts', () => {
  it('counts each sell order once over any cut of the period, and every figure of the pieces adds up to the whole', async () => {
    let straddling = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(order, { minLength: 1, maxLength: 6 }),
        fc.uniqueArray(fc.integer({ min: 1, max: SPAN - 1 }), { maxLength: 4 }),
        fc.boolean(),
        async (orders, cutsAt, onMidnights) => {
          const { deps, sells } = await booked(orders);
          const cuts = onMidnights ? [MS.day, 2 * MS.day, 3 * MS.day] : [...cutsAt].sort((a, b) => a - b);
          const edges = [0, ...cuts, SPAN].map((x) => (DAY0 + x) as EpochMs);
          const summary = (from: EpochMs, to: EpochMs) => summarizePerformance(deps, { ...INPUT, from, to });
          const whole = await summary(edges[0] as EpochMs, edges[edges.length - 1] as EpochMs);
          const parts = await Promise.all(edges.slice(1).map((to, i) => summary(edges[i] as EpochMs, to)));
          expect(whole.total.trades).toBe(sells);
          expect(sums(parts)).toEqual(figures(whole));
          for (const s of whole.byStrategy) {
            const own = parts.map((p) => p.byStrategy.find((x) => x.strategy === s.strategy));
            expect(own.reduce((n, p) => n + (p?.trades ?? 0), 0)).toBe(s.trades);
            // The per-strategy daily series holds the realised PnL of each day's fills.
            const series = s.series.daily.reduce((sum, d) => sum.plus(d.pnl), ZERO);
            expect(series.toFixed()).toBe(s.realizedPnl.toFixed());
          }
          if (
            parts.some(
              (p) => !p.total.realizedPnl.minus(p.total.grossProfit).plus(p.total.grossLoss).isZero(),
            )
          )
            straddling += 1;
        },
      ),
      { seed: 20261205, numRuns: 150 },
    );
    // The generator reaches the interesting case: an order's fills on both sides of a cut.
    expect(straddling).toBeGreaterThan(10);
  });

  it('counts an order still filling when the day report is made once, on the day it started', async () => {
    const start = DAY0 + MS.day - 10 * MS.minute;
    const fills = [
      fillOf('b', 'buy', 0, 'bid', 100_000, 3_000_000, start),
      fillOf('s1', 'sell', 0, 'ask', 99_000, 1_000_000, DAY0 + MS.day - 1),
      fillOf('s2', 'sell', 0, 'ask', 99_000, 1_000_000, DAY0 + MS.day + 2 * MS.hour),
      fillOf('s3', 'sell', 0, 'ask', 99_000, 1_000_000, DAY0 + MS.day + 10 * MS.hour),
    ];
    const store = new MemoryStateStore();
    const clock = new ManualClock(DAY0 + MS.day + 9 * MS.hour);
    const deps = { journal: store, equity: new MemoryEquityHistoryStore(), clock };
    for (const f of fills.slice(0, 3)) await recordFill(store, f, krw('100000000'));
    // 09:00 KST: the first day's report, while the order is still on the book.
    const day1 = await summarizePerformance(deps, { ...INPUT, from: DAY0, to: (DAY0 + MS.day) as EpochMs });
    await recordFill(store, fills[3] as Fill, krw('100000000'));
    clock.set(DAY0 + 2 * MS.day + 9 * MS.hour);
    const day2 = await summarizePerformance(deps, {
      ...INPUT,
      from: (DAY0 + MS.day) as EpochMs,
      to: (DAY0 + 2 * MS.day) as EpochMs,
    });
    expect([day1.total.trades, day2.total.trades]).toEqual([1, 0]);
    expect([day1.total.losses, day2.total.losses]).toEqual([1, 0]);
    expect(day2.total.realizedPnl.lt(0)).toBe(true);
    expect(SELL_ORDER_SPAN_MS).toBeGreaterThanOrEqual(MS.day);
  });
});
