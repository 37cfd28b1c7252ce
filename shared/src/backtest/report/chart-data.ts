import type { BacktestResult, TradeRecord } from '../result/backtest-result';
import { contributionSeries, tradeTime } from './report-model';

/** A close price at a time, for the price line under the trade markers. */
export interface PricePoint {
  /** Epoch ms. */
  readonly time: number;
  readonly close: number;
}

/**
 * One market's price chart: the close line in uPlot's column layout (x in seconds), and the fills
 * as a separate point list that the page draws as markers aggregated per few pixels at the current
 * zoom, under the line, so a week of 1-minute market making keeps the price visible.
 */
export interface PriceChartData {
  readonly market: string;
  readonly t: readonly number[];
  readonly price: readonly (number | null)[];
  /** Fill times (seconds), prices and sides (1 buy, -1 sell), oldest first. */
  readonly fills: {
    readonly t: readonly number[];
    readonly price: readonly number[];
    readonly side: readonly (1 | -1)[];
  };
  /** Fills of the market in the run; `fills` holds the most recent {@link MAX_MARKER_FILLS} of them. */
  readonly fillsTotal: number;
  /** True when the line is drawn through fill prices because no close series was supplied. */
  readonly fromFills: boolean;
}

/** Everything the charts need, serialised once into the page. */
export interface ChartData {
  readonly equity: { readonly t: readonly number[]; readonly equity: number[]; readonly dd: number[] };
  readonly contribution: {
    readonly t: readonly number[];
    readonly series: Readonly<Record<string, readonly number[]>>;
  };
  readonly prices: readonly PriceChartData[];
}

/** Largest number of price points drawn per market; longer series are thinned evenly. */
export const MAX_PRICE_POINTS = 5000;

/** Most fills per market carried into the page as markers (the most recent ones). */
export const MAX_MARKER_FILLS = 20_000;

function thin<T>(points: readonly T[], max: number): readonly T[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.floor(i * step)] as T);
  out.push(points[points.length - 1] as T);
  return out;
}

function priceChart(
  market: string,
  trades: readonly TradeRecord[],
  closes: readonly PricePoint[] | undefined,
): PriceChartData {
  const line = new Map<number, number>();
  if (closes !== undefined) for (const p of thin(closes, MAX_PRICE_POINTS)) line.set(p.time, p.close);
  else for (const t of thin(trades, MAX_PRICE_POINTS)) line.set(tradeTime(t), Number(t.price));
  const times = [...line.keys()].sort((a, b) => a - b);
  const shown = trades.slice(-MAX_MARKER_FILLS);
  return {
    market,
    t: times.map((ms) => ms / 1000),
    price: times.map((ms) => line.get(ms) ?? null),
    fills: {
      t: shown.map((t) => tradeTime(t) / 1000),
      price: shown.map((t) => Number(t.price)),
      side: shown.map((t) => (t.side === 'bid' ? 1 : -1)),
    },
    fillsTotal: trades.length,
    fromFills: closes === undefined,
  };
}

/**
 * Column data for every chart: the equity curve and drawdown from the result's samples, cumulative
 * realised PnL per strategy, and per market the price with buy and sell markers. uPlot takes time
 * in seconds.
 */
export function buildChartData(
  result: BacktestResult,
  prices: Readonly<Record<string, readonly PricePoint[]>> | undefined,
): ChartData {
  const contribution = contributionSeries(result.trades);
  const markets = [...new Set([...result.markets, ...result.trades.map((t) => t.market)])].sort();
  return {
    equity: {
      t: result.equityCurve.map((s) => s.time / 1000),
      equity: result.equityCurve.map((s) => s.equity),
      dd: result.equityCurve.map((s) => -s.drawdownPct),
    },
    contribution: { t: contribution.times.map((ms) => ms / 1000), series: contribution.series },
    prices: markets.map((m) =>
      priceChart(
        m,
        result.trades.filter((t) => t.market === m),
        prices?.[m],
      ),
    ),
  };
}
