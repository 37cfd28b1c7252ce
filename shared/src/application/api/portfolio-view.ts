import type { Market } from '../../domain/market/market-id';
import { Decimal, decimalFromNumber, formatDecimal, ZERO } from '../../domain/money/decimal';
import { type Price, price } from '../../domain/money/quantities';
import { averageEntryPrice, unrealizedPnl } from '../../domain/risk/position-accounting';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { kstDayStart } from '../../domain/time/kst-calendar';
import type { Fill } from '../../domain/trading/fill';
import type { Position } from '../../domain/trading/position';
import type { EquityPoint } from '../../ports/equity-history-store';
import type { MarketDataStore } from '../../ports/market-data-store';
import type { ApiDeps } from './api-deps';

/** A mark older than this is shown but flagged: the data collector may have stopped. */
const STALE_MARK_MS = 5 * MS.minute;

/** Latest 1-minute close per market, the mark the dashboard values holdings at. */
export async function latestMarks(
  data: Pick<MarketDataStore, 'latestCandles'>,
  markets: readonly Market[],
): Promise<Map<Market, { readonly price: Price; readonly at: EpochMs }>> {
  const marks = new Map<Market, { price: Price; at: EpochMs }>();
  await Promise.all(
    [...new Set(markets)].map(async (m) => {
      const [last] = await data.latestCandles(m, '1m', 1);
      if (last !== undefined)
        marks.set(m, {
          price: price(decimalFromNumber(last.close)),
          at: (last.openTime + MS.minute) as EpochMs,
        });
    }),
  );
  return marks;
}

/** An equity point as JSON (money as decimal text). */
export function equityJson(p: EquityPoint | undefined): unknown {
  if (p === undefined) return null;
  return {
    at: p.at,
    equity: formatDecimal(p.equity),
    cash: formatDecimal(p.cash),
    holdings: formatDecimal(p.holdings),
    unpriced: p.unpriced,
  };
}

function positionJson(
  p: Position,
  mark: { price: Price; at: EpochMs } | undefined,
  now: EpochMs,
  fee: Decimal,
) {
  const avg = averageEntryPrice(p);
  const value = mark === undefined ? undefined : p.volume.times(mark.price);
  const upnl = mark === undefined ? undefined : unrealizedPnl(p, mark.price, fee);
  return {
    market: p.market,
    strategy: p.strategy,
    volume: formatDecimal(p.volume),
    cost: formatDecimal(p.cost),
    avgEntryPrice: avg === undefined ? null : formatDecimal(avg.toDecimalPlaces(8)),
    mark: mark === undefined ? null : formatDecimal(mark.price),
    markAt: mark?.at ?? null,
    markStale: mark === undefined ? true : now - mark.at > STALE_MARK_MS,
    marketValue: value === undefined ? null : formatDecimal(value.toDecimalPlaces(4)),
    unrealizedPnl: upnl === undefined ? null : formatDecimal(upnl.toDecimalPlaces(4)),
    unrealizedPct:
      upnl === undefined || !p.cost.gt(0) ? null : upnl.div(p.cost).times(100).toDecimalPlaces(4).toNumber(),
    realizedPnl: formatDecimal(p.realizedPnl),
    feesPaid: formatDecimal(p.feesPaid),
    openedAt: p.openedAt ?? null,
  };
}

/**
 * `GET /api/positions`: open holdings valued at the latest 1-minute close, net of the sell fee still
 * to pay (the honest liquidation value). A market with no mark is listed with nulls and counted in
 * `unpriced` instead of being valued at a guess.
 */
export async function positionsView(deps: ApiDeps): Promise<unknown> {
  const now = deps.clock.now();
  const [positions, latest] = await Promise.all([deps.store.listPositions(), deps.equity.latestPoint()]);
  const open = positions.filter((p) => p.volume.gt(0));
  const marks = await latestMarks(
    deps.marketData,
    open.map((p) => p.market),
  );
  const fee = deps.settings.rules.takerFee;
  let cost = ZERO;
  let value = ZERO;
  let upnl = ZERO;
  const unpriced: string[] = [];
  for (const p of open) {
    cost = cost.plus(p.cost);
    const mark = marks.get(p.market);
    if (mark === undefined) {
      if (!unpriced.includes(p.market)) unpriced.push(p.market);
      continue;
    }
    value = value.plus(p.volume.times(mark.price));
    upnl = upnl.plus(unrealizedPnl(p, mark.price, fee));
  }
  const realized = positions.reduce((sum, p) => sum.plus(p.realizedPnl), new Decimal(0));
  return {
    asOf: now,
    positions: open.map((p) => positionJson(p, marks.get(p.market), now, fee)),
    totals: {
      cost: formatDecimal(cost),
      marketValue: formatDecimal(value.toDecimalPlaces(4)),
      unrealizedPnl: formatDecimal(upnl.toDecimalPlaces(4)),
      realizedPnl: formatDecimal(realized),
      unpriced,
    },
    equity: equityJson(latest),
  };
}

/** A fill as JSON (money as decimal text). */
export function fillJson(f: Fill): unknown {
  return {
    fillId: f.fillId,
    at: f.at,
    market: f.market,
    strategy: f.strategy,
    side: f.side,
    price: formatDecimal(f.price),
    volume: formatDecimal(f.volume),
    notional: formatDecimal(f.price.times(f.volume)),
    fee: formatDecimal(f.fee),
    isMaker: f.isMaker,
  };
}

/** Days searched back for recent trades; older fills are in the daily reports. */
export const TRADES_LOOKBACK_DAYS = 30;

/**
 * The newest `limit` fills, newest first. Walks back one KST day at a time (the store partitions
 * fills by day), so a busy day costs one query and a quiet month at most {@link TRADES_LOOKBACK_DAYS}.
 */
export async function recentFills(
  store: ApiDeps['store'],
  now: EpochMs,
  limit: number,
  lookbackDays: number = TRADES_LOOKBACK_DAYS,
): Promise<Fill[]> {
  const out: Fill[] = [];
  let to = (now + 1) as EpochMs;
  for (let day = 0; day < lookbackDays && out.length < limit; day++) {
    const from = kstDayStart((to - 1) as EpochMs);
    const fills = await store.listFills({ from, to });
    fills.sort((a, b) => b.at - a.at || (a.fillId < b.fillId ? 1 : -1));
    out.push(...fills.slice(0, limit - out.length));
    to = from;
  }
  return out;
}

/** `GET /api/trades?limit=`: the latest fills, newest first, from the last `lookbackDays` KST days. */
export async function tradesView(
  deps: ApiDeps,
  limit: number,
  lookbackDays: number = TRADES_LOOKBACK_DAYS,
): Promise<unknown> {
  const now = deps.clock.now();
  const fills = await recentFills(deps.store, now, limit, lookbackDays);
  return { asOf: now, lookbackDays, trades: fills.map(fillJson) };
}
