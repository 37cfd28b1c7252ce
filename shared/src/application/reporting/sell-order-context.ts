import { decisionMinuteOf, parseOrderIdentifier } from '../../domain/orders/identifiers';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Fill } from '../../domain/trading/fill';
import type { FillJournal } from '../../ports/fill-journal';
import type { OrderRepository } from '../../ports/order-repository';
import { SELL_ORDER_SPAN_MS, type SellOrderContext, sellOrderKey } from './trade-stats';

/** The stores the context is read from: fills by time, and an order's record for an id without a minute. */
export type SellOrderContextJournal = Pick<FillJournal, 'listFills'> & Pick<OrderRepository, 'getOrder'>;

/**
 * How far back an older order's first fill is looked for: 35 days, a little more than the daily
 * report's own 30 trailing days, so an order resting for months (an operator's far limit sell) does
 * not make every report read months of fills. An order still filling more than this after its first
 * fill would be counted again.
 */
export const LONGEST_LOOK_BACK_MS = 35 * MS.day;

const asks = (fills: readonly Fill[]) => fills.filter((f) => f.side === 'ask');

/**
 * The sell fills around `[from, to)` that decide which of the range's sell orders it counts and what
 * they made: fills after the range ({@link SELL_ORDER_SPAN_MS}, capped at now) complete the PnL of
 * the orders the range counts, and an order with a fill before the range is left to the range that
 * counts it. "Before" is read {@link SELL_ORDER_SPAN_MS} back for every order and further back, to
 * the earliest instant its first fill can lie (at most {@link LONGEST_LOOK_BACK_MS}), for an order
 * older than that: its decision's minute (the id's stamp) or, for an adopted order's id without one,
 * its record's creation time. So an order resting for days (through an executor outage, or an
 * operator's order adopted by reconciliation) counts once. Only an order with neither a stamp nor a
 * record (none this system books) falls back to the fixed look-back.
 */
export async function sellOrderContext(
  journal: SellOrderContextJournal,
  range: { readonly from: EpochMs; readonly to: EpochMs },
  rangeFills: readonly Fill[],
  now: EpochMs,
): Promise<SellOrderContext> {
  const lookBackFrom = (range.from - SELL_ORDER_SPAN_MS) as EpochMs;
  const laterTo = Math.min(range.to + SELL_ORDER_SPAN_MS, now + 1);
  const [before, later] = await Promise.all([
    journal.listFills({ from: lookBackFrom, to: range.from }),
    laterTo > range.to ? journal.listFills({ from: range.to, to: laterTo as EpochMs }) : Promise.resolve([]),
  ]);
  const startedBefore = new Set(asks(before).map(sellOrderKey));
  const older = await olderOrders(journal, asks(rangeFills), startedBefore, lookBackFrom);
  if (older.size > 0) {
    let first: number = lookBackFrom;
    for (const start of older.values()) first = Math.min(first, start);
    const earliest = Math.max(first, range.from - LONGEST_LOOK_BACK_MS);
    for (const f of asks(await journal.listFills({ from: earliest as EpochMs, to: lookBackFrom }))) {
      const key = sellOrderKey(f);
      if (older.has(key)) startedBefore.add(key);
    }
  }
  return { startedBefore, later: asks(later) };
}

/** The range's sell orders not seen in the look-back that may have filled before it: key → earliest start. */
async function olderOrders(
  journal: Pick<OrderRepository, 'getOrder'>,
  rangeAsks: readonly Fill[],
  seen: ReadonlySet<string>,
  lookBackFrom: EpochMs,
): Promise<Map<string, EpochMs>> {
  const older = new Map<string, EpochMs>();
  const checked = new Set<string>();
  for (const f of rangeAsks) {
    const key = sellOrderKey(f);
    if (seen.has(key) || checked.has(key)) continue;
    checked.add(key);
    const parsed = parseOrderIdentifier(f.identifier);
    const stamp = parsed === undefined ? undefined : decisionMinuteOf(parsed.decisionId);
    const start = stamp ?? (await journal.getOrder(f.identifier))?.createdAt;
    if (start !== undefined && start < lookBackFrom) older.set(key, start);
  }
  return older;
}
