import type { BacktestResult, TradeRecord } from '../result/backtest-result';
import { contributionSeries, tradeTime } from './report-model';

/** A close price at a time, for the price line under the trade markers. */
export interface PricePoint {
  /** Epoch ms. */
  readonly time: number;
  readonly close: number;
}

/** uPlot's column layout for one market: shared x (seconds) and y columns with gaps as null. */
export interface PriceChartData {
  readonly market: string;
  readonly t: readonly number[];
  readonly price: readonly (number | null)[];
  readonly buy: readonly (number | null)[];
  readonly sell: readonly (number | null)[];
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
  const buys = new Map<number, number>();
  const sells = new Map<number, number>();
  for (const t of trades) {
    const at = tradeTime(t);
    (t.side === 'bid' ? buys : sells).set(at, Number(t.price));
    if (closes === undefined) line.set(at, Number(t.price));
  }
  if (closes !== undefined) for (const p of thin(closes, MAX_PRICE_POINTS)) line.set(p.time, p.close);
  const times = [...new Set([...line.keys(), ...buys.keys(), ...sells.keys()])].sort((a, b) => a - b);
  return {
    market,
    t: times.map((ms) => ms / 1000),
    price: times.map((ms) => line.get(ms) ?? null),
    buy: times.map((ms) => buys.get(ms) ?? null),
    sell: times.map((ms) => sells.get(ms) ?? null),
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
