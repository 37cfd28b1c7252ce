import type { Market } from '../../domain/market/market-id';
import { formatDecimal } from '../../domain/money/decimal';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { EquityPoint } from '../../ports/equity-history-store';
import type { ApiDeps } from './api-deps';

/** Most points an equity chart gets; longer ranges are thinned (the last point always kept). */
const MAX_EQUITY_POINTS = 1_500;

/**
 * `GET /api/equity?hours=`: the executor's equity curve for the chart, as numbers (display only).
 * Read one KST day at a time and thinned by time (the first point of each of ~1,500 equal time
 * buckets, plus the newest), so 90 days of minute equity never sit in memory at once.
 */
export async function equityView(deps: ApiDeps, hours: number): Promise<unknown> {
  const now = deps.clock.now();
  const from = (now - hours * MS.hour) as EpochMs;
  const bucketMs = Math.max(MS.minute, Math.ceil((hours * MS.hour) / MAX_EQUITY_POINTS));
  const kept: { at: number; equity: number; cash: number }[] = [];
  let lastBucket = Number.NEGATIVE_INFINITY;
  let newest: EquityPoint | undefined;
  for await (const day of deps.equity.pointsByDay({ from, to: (now + 1) as EpochMs }))
    for (const p of day) {
      newest = p;
      const bucket = Math.floor((p.at - from) / bucketMs);
      if (bucket === lastBucket) continue;
      lastBucket = bucket;
      kept.push(chartPoint(p));
    }
  if (newest !== undefined && kept[kept.length - 1]?.at !== newest.at) kept.push(chartPoint(newest));
  return { asOf: now, hours, points: kept };
}

function chartPoint(p: EquityPoint): { at: number; equity: number; cash: number } {
  return { at: p.at, equity: p.equity.toNumber(), cash: p.cash.toNumber() };
}

/**
 * `GET /api/markets/{market}/candles?limit=`: the latest 1-minute candles of a market and our fills
 * in that window, for the price chart with trade markers.
 */
export async function candlesView(deps: ApiDeps, market: Market, limit: number): Promise<unknown> {
  const now = deps.clock.now();
  const candles = await deps.marketData.latestCandles(market, '1m', limit);
  const from = (candles[0]?.openTime ?? now - limit * MS.minute) as EpochMs;
  const fills = (await deps.store.listFills({ from, to: (now + 1) as EpochMs })).filter(
    (f) => f.market === market,
  );
  return {
    asOf: now,
    market,
    timeframe: '1m',
    candles: candles.map((c) => ({ t: c.openTime, o: c.open, h: c.high, l: c.low, c: c.close, v: c.volume })),
    trades: fills.map((f) => ({
      at: f.at,
      side: f.side,
      price: formatDecimal(f.price),
      volume: formatDecimal(f.volume),
      strategy: f.strategy,
    })),
  };
}
