import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryEquityHistoryStore } from '../../shared/src/adapters/memory/memory-equity-history-store';
import { MemoryNotifier } from '../../shared/src/adapters/memory/memory-notifier';
import { MemoryReportStore } from '../../shared/src/adapters/memory/memory-report-store';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import {
  type DailyReportInput,
  generateDailyReport,
} from '../../shared/src/application/reporting/daily-report';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import { krw } from '../../shared/src/domain/money/quantities';
import {
  type DecisionId,
  makeDecisionId,
  type OrderIdentifier,
  orderIdentifier,
} from '../../shared/src/domain/orders/identifiers';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import type { Fill } from '../../shared/src/domain/trading/fill';
import { anOrder, aUnitFill, BTC, REPORT_FEE_RATE } from '../../shared/testing/state-builders';

/*
 * Adversarial review (audit5) of the rule "a sell order is one trade, counted on the KST day of its
 * first fill" (trade-stats.ts closedTradesOf, performance-summary.ts sellOrderContext), at the
 * clock's edges: fills at KST midnight − 1 ms, at midnight and + 1 ms, reports made at 09:00 KST
 * while the order still fills, and orders whose fills span more than SELL_ORDER_SPAN_MS (2 days).
 * Claim R1: summed over the days' reports, every sell order counts exactly once as a trade.
 */
const FEE = REPORT_FEE_RATE;
const INPUT: DailyReportInput = {
  dailyGoalPct: 2,
  strategyCapital: krw('2000000'),
  sellFeeRate: FEE,
  limits: DEFAULT_RISK_LIMITS,
};
/** KST midnight starting 2026-11-25; day k of the test starts at MIDNIGHT + k days. */
const MIDNIGHT = Date.parse('2026-11-25T00:00:00+09:00');
const DATES = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28'] as const;

function aFill(
  id: string,
  identifier: OrderIdentifier,
  side: 'bid' | 'ask',
  p: number,
  units: number,
  at: number,
): Fill {
  return aUnitFill(['KRW-BTC', 'mean_reversion'], { id, order: identifier, side }, p, units, at);
}

/** An identifier without a decision minute and without an order record (the fixed look-back decides). */
const UNSTAMPED = orderIdentifier('d-sell' as DecisionId);

/**
 * A buy a day before, then one sell order (`sell`, UNSTAMPED unless given) filled at each of
 * `sells` (offsets from MIDNIGHT); `setUp` may store the order's record first.
 */
async function tradesPerDay(
  sells: readonly number[],
  reportAt: (day: number) => number,
  sell: OrderIdentifier = UNSTAMPED,
  setUp: (store: MemoryStateStore) => Promise<void> = async () => {},
): Promise<number[]> {
  const store = new MemoryStateStore();
  await setUp(store);
  const clock = new ManualClock((MIDNIGHT - 2 * MS.day) as EpochMs);
  const buy = orderIdentifier('d-buy' as DecisionId);
  await recordFill(store, aFill('b', buy, 'bid', 100_000, 10_000_000, MIDNIGHT - 2 * MS.day), krw('1e8'));
  for (const [j, at] of sells.entries())
    await recordFill(store, aFill(`s${j}`, sell, 'ask', 101_000 + j, 1_000_000, MIDNIGHT + at), krw('1e8'));
  const deps = {
    journal: store,
    equity: new MemoryEquityHistoryStore(),
    reports: new MemoryReportStore(),
    notifier: new MemoryNotifier(),
    clock,
  };
  const counts: number[] = [];
  for (const [k, date] of DATES.entries()) {
    // Day k−1 of the test (date DATES[k]) is reported the next day, when the daily job runs.
    clock.set(reportAt(k) as EpochMs);
    const { report } = await generateDailyReport(deps, { ...INPUT, date });
    counts.push((report.body as { day: { total: { trades: number } } }).day.total.trades);
  }
  return counts;
}

/** 09:00 KST the day after DATES[k]. */
const AT_NINE = (k: number) => MIDNIGHT + k * MS.day + 9 * MS.hour;
const LONG_AFTER = () => MIDNIGHT + 30 * MS.day;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('one sell order is one trade across KST midnights (audit5)', () => {
  const EDGES: ReadonlyArray<readonly [readonly number[]]> = [
    [[-1, 0]],
    [[-1, 1]],
    [[0, 1]],
    [[-1]],
    [[0]],
    [[-2, -1, 0, 1]],
    [[-1, MS.day - 1, MS.day]],
    [[-MS.day, -1, MS.day + 9 * MS.hour + 1]],
  ];
  it.each(EDGES)(
    'R1 holds for fills at midnight offsets %j (ms), reports made late or at 09:00 KST',
    async (offsets) => {
      for (const when of [LONG_AFTER, AT_NINE]) {
        const counts = await tradesPerDay(offsets, when);
        expect(sum(counts)).toBe(1);
        // …and it is the day of the first fill.
        const first = Math.min(...offsets);
        const day = Math.floor((first + MS.day) / MS.day);
        expect(counts[day]).toBe(1);
      }
    },
  );

  // Was a counterexample (audit5): an order filling for more than SELL_ORDER_SPAN_MS was counted on
  // its first day and again on a day 2+ days later, whose fixed 2-day look-back no longer saw its
  // first fill (trade count, win rate and P/L ratio off). Fixed in sell-order-context.ts: the look-back
  // reaches back to the earliest instant the order's first fill can lie (at most 35 days).
  it('R1: an order of a decision whose fills span more than 2 days counts once, on its first day', async () => {
    const decision = makeDecisionId('mr', BTC, (MIDNIGHT - MS.hour) as EpochMs);
    for (const when of [LONG_AFTER, AT_NINE]) {
      const counts = await tradesPerDay([-1, 2 * MS.day], when, orderIdentifier(decision));
      expect(counts).toEqual([1, 0, 0, 0, 0]);
    }
    const counts = await tradesPerDay([-1, MS.day, 3 * MS.day + 1], LONG_AFTER, orderIdentifier(decision));
    expect(counts).toEqual([1, 0, 0, 0, 0]);
  });

  it("R1: an operator's order adopted by reconciliation (no minute in its id) counts once, from its record", async () => {
    const uuid = '6d5e3b2a-1c4f-4e8a-9b7d-0a1b2c3d4e5f';
    const identifier = orderIdentifier(`adopt-${uuid.replaceAll('-', '')}` as DecisionId);
    const adopted = async (store: MemoryStateStore) => {
      const order = anOrder(`adopt-${uuid.replaceAll('-', '')}`, {
        identifier,
        strategy: 'operator',
        createdAt: (MIDNIGHT - 3 * MS.hour) as EpochMs,
      });
      await store.createOrder(order);
    };
    const counts = await tradesPerDay([-1, 2 * MS.day + 5 * MS.hour], LONG_AFTER, identifier, adopted);
    expect(counts).toEqual([1, 0, 0, 0, 0]);
  });

  it('an id with neither a minute nor a record keeps the fixed 2-day look-back (none this system books)', async () => {
    const counts = await tradesPerDay([-1, 2 * MS.day], LONG_AFTER);
    expect(counts).toEqual([1, 0, 0, 1, 0]);
  });
});
