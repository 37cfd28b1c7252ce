import { closesAtMarks, latestOpenTime } from '../../domain/market/closes-at-marks';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import { decimalFromNumber } from '../../domain/money/decimal';
import { type Price, price } from '../../domain/money/quantities';
import { commitmentOf, openPositionMarkets } from '../../domain/risk/exposure';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import { type RiskReport, riskReport } from '../../domain/risk/risk-report';
import { MS } from '../../domain/time/epoch';
import type { MarketDataStore } from '../../ports/market-data-store';
import type { StateStore } from '../../ports/state-store';

/**
 * VaR horizon and history: hourly returns over the last day, from the 1-minute candles the
 * collector stores (the close in force at each hour mark, so no other timeframe has to be written).
 */
export const VAR_SAMPLE_EVERY = 60;
/** Hourly returns in the VaR sample (24 hours → 24 returns from 25 closes). */
export const VAR_RETURNS = 24;

/** Exposure and VaR now, with how much of each hard limit is used (1 = at the limit). */
export interface ExposureSnapshot {
  readonly report: RiskReport;
  readonly usage: {
    readonly total: number;
    /** Highest usage of any one strategy's cap, and which strategy. */
    readonly strategy: { readonly max: number; readonly name: string | null };
    readonly market: { readonly max: number; readonly name: string | null };
    readonly positions: { readonly held: number; readonly limit: number };
  };
  /** Held markets without a recent candle: no mark, left out of VaR (never guessed). */
  readonly unmarked: readonly Market[];
}

function maxUsage(
  values: Readonly<Record<string, number>>,
  limit: number,
): { readonly max: number; readonly name: string | null } {
  let best = { max: 0, name: null as string | null };
  for (const [name, v] of Object.entries(values)) if (v / limit > best.max) best = { max: v / limit, name };
  return best;
}

/**
 * Reads positions, active orders and the latest 1-minute candles of every held market, and measures
 * exposure (cost basis + KRW locked by bids, exactly what the hard limits count) and VaR/ES at 95 %
 * over a one-hour horizon. Marks are the last 1-minute close: the cloud has no order book, which is
 * fine for a risk measure and never used for an order.
 */
export async function exposureSnapshot(
  store: Pick<StateStore, 'listPositions' | 'listActiveOrders'>,
  marketData: Pick<MarketDataStore, 'latestCandles'>,
  limits: RiskLimits,
  rules: MarketRules,
): Promise<ExposureSnapshot> {
  const [positions, active] = await Promise.all([store.listPositions(), store.listActiveOrders()]);
  const commitments = active.map((o) => commitmentOf(o, rules));
  const held = [...new Set(positions.filter((p) => !p.volume.isZero()).map((p) => p.market))];
  const marks = new Map<Market, Price>();
  const candlesOf = new Map<Market, readonly Candle[]>();
  const unmarked: Market[] = [];
  await Promise.all(
    held.map(async (market) => {
      // At least a day back even for a market that traded every minute (a quiet one reaches further).
      const candles = await marketData.latestCandles(market, '1m', VAR_RETURNS * VAR_SAMPLE_EVERY + 1);
      const last = candles[candles.length - 1];
      if (last === undefined) {
        unmarked.push(market);
        return;
      }
      marks.set(market, price(decimalFromNumber(last.close)));
      candlesOf.set(market, candles);
    }),
  );
  // Every market sampled at the same hour marks, so their returns cover the same hours.
  const anchor = latestOpenTime(candlesOf.values());
  const closes = new Map<Market, readonly number[]>();
  if (anchor !== undefined)
    for (const [market, candles] of candlesOf)
      closes.set(market, closesAtMarks(candles, anchor, VAR_SAMPLE_EVERY * MS.minute, VAR_RETURNS + 1));
  const report = riskReport(positions, commitments, marks, closes);
  return {
    report,
    usage: {
      total: report.exposure.total / limits.maxTotalExposure.toNumber(),
      strategy: maxUsage(report.exposure.byStrategy, limits.maxStrategyExposure.toNumber()),
      market: maxUsage(report.exposure.byMarket, limits.maxMarketExposure.toNumber()),
      positions: {
        held: openPositionMarkets(positions, commitments, limits.dustThreshold).size,
        limit: limits.maxConcurrentPositions,
      },
    },
    unmarked: unmarked.sort(),
  };
}
