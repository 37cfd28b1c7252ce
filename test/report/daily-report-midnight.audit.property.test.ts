import fc from 'fast-check';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryEquityHistoryStore } from '../../shared/src/adapters/memory/memory-equity-history-store';
import { MemoryNotifier } from '../../shared/src/adapters/memory/memory-notifier';
import { MemoryReportStore } from '../../shared/src/adapters/memory/memory-report-store';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import {
  type DailyReportInput,
  generateDailyReport,
} from '../../shared/src/application/reporting/daily-report';
import { summarizePerformance } from '../../shared/src/application/reporting/performance-summary';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import type { Fill } from '../../shared/src/domain/trading/fill';
import { aUnitFill, REPORT_FEE_RATE } from '../../shared/testing/state-builders';

/**
 * Adversarial review (audit4) of the daily report's numbers over fills on both sides of a KST
 * midnight: realised PnL, fees, trades, wins and win rate per KST day must equal a recomputation from
 * the stored fills written here (day = the KST day of the fill's time; one sell order = one trade,
 * counted on the day of its first fill and scored on all its fills).
 */
const SEED = 20261205;
const D1 = '2026-11-24';
const D2 = '2026-11-25';
const MIDNIGHT = Date.parse(`${D2}T00:00:00+09:00`) as EpochMs;
const FEE = REPORT_FEE_RATE;
const INPUT: DailyReportInput = {
  dailyGoalPct: 2,
  strategyCapital: krw('2000000'),
  sellFeeRate: FEE,
  limits: DEFAULT_RISK_LIMITS,
};
const SLOTS = [
  ['KRW-BTC', 'mean_reversion'],
  ['KRW-BTC', 'momentum_scalping'],
  ['KRW-ETH', 'mean_reversion'],
] as const;

/** One round trip of a slot: a buy in 1–2 fills, then a sell in 1–3 fills (a part of what was bought). */
const roundTrip = fc.record({
  slot: fc.integer({ min: 0, max: SLOTS.length - 1 }),
  buyPrice: fc.integer({ min: 1_000, max: 200_000 }),
  buyUnits: fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 2 }),
  sellPrices: fc.array(fc.integer({ min: 900, max: 220_000 }), { minLength: 1, maxLength: 3 }),
  sellShare: fc.integer({ min: 1, max: 100 }),
  gapsMs: fc.array(fc.integer({ min: 1, max: 20 * MS.minute }), { minLength: 5, maxLength: 5 }),
});

type RoundTrip = typeof roundTrip extends fc.Arbitrary<infer T> ? T : never;

function aFill(
  id: string,
  order: string,
  slot: number,
  side: 'bid' | 'ask',
  p: number,
  units: number,
  at: number,
): Fill {
  return aUnitFill(SLOTS[slot] as (typeof SLOTS)[number], { id, order: order, side }, p, units, at);
}

/** The fills of some round trips, on a clock starting 40 minutes before midnight. */
function fillsOf(trips: readonly RoundTrip[]): Fill[] {
  const out: Fill[] = [];
  let t = MIDNIGHT - 40 * MS.minute;
  trips.forEach((trip, k) => {
    const gaps = [...trip.gapsMs];
    const next = () => {
      t += gaps.shift() ?? 1;
      return t;
    };
    let bought = 0;
    trip.buyUnits.forEach((u, j) => {
      out.push(aFill(`b${k}.${j}`, `buy${k}`, trip.slot, 'bid', trip.buyPrice, u, next()));
      bought += u;
    });
    let left = Math.max(trip.sellPrices.length, Math.floor((bought * trip.sellShare) / 100));
    left = Math.min(left, bought);
    trip.sellPrices.forEach((p, j) => {
      const units = j === trip.sellPrices.length - 1 ? left : Math.max(1, Math.floor(left / 2));
      if (units <= 0) return;
      left -= units;
      out.push(aFill(`s${k}.${j}`, `sell${k}`, trip.slot, 'ask', p, units, next()));
    });
  });
  return out;
}

/**
 * The reference, from the stored fills alone: per KST day, fees and realised PnL of the day's fills;
 * trades = the sell orders whose first fill is in the day (one each, however many days their fills
 * span), scored on all their fills.
 */
function expected(stored: readonly Fill[], from: number, to: number) {
  const inDay = stored.filter((f) => f.at >= from && f.at < to);
  const fees = inDay.reduce((s, f) => s.plus(f.fee), new Decimal(0));
  const realized = inDay
    .filter((f) => f.side === 'ask')
    .reduce((s, f) => s.plus(f.realizedPnl ?? 0), new Decimal(0));
  const orders = new Map<string, { first: number; pnl: Decimal }>();
  for (const f of stored)
    if (f.side === 'ask') {
      const key = `${f.strategy}/${f.identifier}`;
      const o = orders.get(key) ?? { first: f.at, pnl: new Decimal(0) };
      orders.set(key, { first: Math.min(o.first, f.at), pnl: o.pnl.plus(f.realizedPnl ?? 0) });
    }
  const pnls = [...orders.values()].filter((o) => o.first >= from && o.first < to).map((o) => o.pnl);
  const wins = pnls.filter((p) => p.gt(0)).length;
  return {
    fills: inDay.length,
    fees: fees.toFixed(),
    realizedPnl: realized.toFixed(),
    trades: pnls.length,
    wins,
    losses: pnls.filter((p) => p.lt(0)).length,
    winRatePct: pnls.length === 0 ? 0 : Math.round((wins / pnls.length) * 100 * 1e6) / 1e6,
  };
}

async function world(fills: readonly Fill[]) {
  const clock = new ManualClock(MIDNIGHT + 2 * MS.day);
  const store = new MemoryStateStore();
  for (const f of fills) await recordFill(store, f, krw('100000000'));
  const deps = {
    journal: store,
    equity: new MemoryEquityHistoryStore(),
    reports: new MemoryReportStore(),
    notifier: new MemoryNotifier(),
    clock,
  };
  return { deps, store };
}

type Block = Record<string, unknown>;
const figures = (b: Block) => ({
  fills: b.fills,
  fees: b.fees,
  realizedPnl: b.realizedPnl,
  trades: b.trades,
  wins: b.wins,
  losses: b.losses,
  winRatePct: b.winRatePct,
});

describe('daily report across KST midnight (audit4)', () => {
  it('each KST day report (total and per strategy) equals the recomputation from the stored fills', async () => {
    let bothDays = 0;
    let splitOrders = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(roundTrip, { minLength: 1, maxLength: 6 }), async (trips) => {
        const { deps, store } = await world(fillsOf(trips));
        const stored = await store.listFills({ from: 0 as EpochMs, to: (MIDNIGHT + MS.day) as EpochMs });
        if (stored.some((f) => f.at < MIDNIGHT) && stored.some((f) => f.at >= MIDNIGHT)) bothDays += 1;
        const sellDays = new Map<string, Set<boolean>>();
        for (const f of stored.filter((x) => x.side === 'ask'))
          sellDays.set(f.identifier, (sellDays.get(f.identifier) ?? new Set()).add(f.at < MIDNIGHT));
        if ([...sellDays.values()].some((d) => d.size === 2)) splitOrders += 1;
        for (const [date, from] of [
          [D1, MIDNIGHT - MS.day],
          [D2, MIDNIGHT],
        ] as const) {
          const { report } = await generateDailyReport(deps, { ...INPUT, date });
          const day = (report.body as { day: { total: Block; byStrategy: Block[] } }).day;
          expect(figures(day.total)).toEqual(expected(stored, from, from + MS.day));
          for (const s of day.byStrategy) {
            const mine = stored.filter((f) => f.strategy === s.strategy);
            expect(figures(s)).toEqual(expected(mine, from, from + MS.day));
          }
        }
      }),
      { seed: SEED, numRuns: 120 },
    );
    expect(bothDays).toBeGreaterThan(40);
    expect(splitOrders).toBeGreaterThan(5);
  });

  it('PnL and fees of the two days add up to the two-day range exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(roundTrip, { minLength: 1, maxLength: 6 }), async (trips) => {
        const { deps } = await world(fillsOf(trips));
        const range = (from: number, to: number) =>
          summarizePerformance(deps, { ...INPUT, from: from as EpochMs, to: to as EpochMs });
        const [a, b, both] = await Promise.all([
          range(MIDNIGHT - MS.day, MIDNIGHT),
          range(MIDNIGHT, MIDNIGHT + MS.day),
          range(MIDNIGHT - MS.day, MIDNIGHT + MS.day),
        ]);
        expect(a.total.realizedPnl.plus(b.total.realizedPnl).toFixed()).toBe(
          both.total.realizedPnl.toFixed(),
        );
        expect(a.total.fees.plus(b.total.fees).toFixed()).toBe(both.total.fees.toFixed());
        expect(a.total.fills + b.total.fills).toBe(both.total.fills);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  // Found by the audit (fixed: a sell order is a trade of the range holding its first fill, see
  // closedTradesOf): one sell order filled in two parts, at 23:59:59.999 and 00:00:00.000 KST, was one
  // trade in the two-day range but one trade on EACH day's report, so summing daily reports
  // overstated the trade count and weighted the split order twice in the win rate.
  it('a sell order filled across midnight counts as one trade, not one per day', async () => {
    const fills = [
      aFill('b', 'buy', 0, 'bid', 100_000, 2_000_000, MIDNIGHT - 10 * MS.minute),
      aFill('s1', 'sell', 0, 'ask', 101_000, 1_000_000, MIDNIGHT - 1),
      aFill('s2', 'sell', 0, 'ask', 101_000, 1_000_000, MIDNIGHT),
    ];
    const { deps } = await world(fills);
    const range = (from: number, to: number) =>
      summarizePerformance(deps, { ...INPUT, from: from as EpochMs, to: to as EpochMs });
    const [a, b, both] = await Promise.all([
      range(MIDNIGHT - MS.day, MIDNIGHT),
      range(MIDNIGHT, MIDNIGHT + MS.day),
      range(MIDNIGHT - MS.day, MIDNIGHT + MS.day),
    ]);
    expect(both.total.trades).toBe(1);
    expect(a.total.trades + b.total.trades).toBe(both.total.trades);
    // Counted on the day it started filling, scored on both halves; each day keeps its own PnL.
    expect([a.total.trades, b.total.trades]).toEqual([1, 0]);
    expect(a.total.grossProfit.toFixed()).toBe(both.total.realizedPnl.toFixed());
    expect(a.total.realizedPnl.plus(b.total.realizedPnl).toFixed()).toBe(both.total.realizedPnl.toFixed());
    expect(b.total.realizedPnl.gt(0)).toBe(true);
    // The stored daily reports say the same (D1's report is made after midnight, as scheduled).
    const reports = await Promise.all(
      [D1, D2].map(async (date) => (await generateDailyReport(deps, { ...INPUT, date })).report.body),
    );
    const trades = reports.map((r) => (r as { day: { total: { trades: number } } }).day.total.trades);
    expect(trades).toEqual([1, 0]);
  });
});
