import type { Market } from '../../domain/market/market-id';
import { formatDecimal } from '../../domain/money/decimal';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { ApiDeps } from './api-deps';

/** Most points an equity chart gets; longer ranges are thinned evenly (the last point always kept). */
const MAX_EQUITY_POINTS = 1_500;

/** `GET /api/equity?hours=`: the executor's equity curve for the chart, as numbers (display only). */
export async function equityView(deps: ApiDeps, hours: number): Promise<unknown> {
  const now = deps.clock.now();
  const points = await deps.equity.listPoints({
    from: (now - hours * MS.hour) as EpochMs,
    to: (now + 1) as EpochMs,
  });
  const step = Math.max(1, Math.ceil(points.length / MAX_EQUITY_POINTS));
  const kept = points.filter((_, i) => i % step === 0 || i === points.length - 1);
  return {
    asOf: now,
    hours,
    points: kept.map((p) => ({ at: p.at, equity: p.equity.toNumber(), cash: p.cash.toNumber() })),
  };
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
