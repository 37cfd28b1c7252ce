import { closesAtMarks, latestOpenTime } from '../../domain/market/closes-at-marks';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { Timeframe } from '../../domain/market/timeframe';
import { formatDecimal } from '../../domain/money/decimal';
import type { Price } from '../../domain/money/quantities';
import { commitmentOf, openPositionMarkets } from '../../domain/risk/exposure';
import { LOSS_PERIODS } from '../../domain/risk/loss-ledger';
import { riskReport } from '../../domain/risk/risk-report';
import { MS } from '../../domain/time/epoch';
import { STRATEGY_NAMES } from '../../domain/trading/strategy-name';
import { currentLedgerEntries, lossStatusAt } from '../risk/load-risk-context';
import type { ApiDeps } from './api-deps';
import { equityJson, latestMarks } from './portfolio-view';

/** VaR confidence shown on the dashboard (the risk engine's 95 %). */
const CONFIDENCE = 0.95;

function usage(name: string, used: number, limit: number) {
  return { name, used, limit, fraction: limit > 0 ? used / limit : 0 };
}

/**
 * Close series for VaR, one horizon for every held market: hourly closes (a day of them) when every
 * market has enough, else 1-minute closes (two hours). Mixing horizons would make the correlation
 * matrix meaningless, so it is all or nothing, and the horizon is reported with the numbers.
 */
async function closeSeries(
  deps: ApiDeps,
  markets: readonly Market[],
): Promise<{ horizon: Timeframe; closes: Map<Market, number[]> }> {
  for (const [timeframe, count, step] of [
    ['60m', 25, MS.hour],
    ['1m', 121, MS.minute],
  ] as const) {
    const candlesOf = new Map<Market, readonly Candle[]>();
    for (const m of markets) candlesOf.set(m, await deps.marketData.latestCandles(m, timeframe, count));
    // The close in force at the same marks for every market (a bar exists only when something
    // traded: sampling by index would misalign a quiet market and understate VaR).
    const anchor = latestOpenTime(candlesOf.values());
    const closes = new Map<Market, number[]>();
    for (const [m, candles] of candlesOf)
      closes.set(m, anchor === undefined ? [] : closesAtMarks(candles, anchor, step, count));
    if ([...closes.values()].every((c) => c.length >= 3) || timeframe === '1m')
      return { horizon: timeframe, closes };
  }
  return { horizon: '1m', closes: new Map() };
}

/**
 * `GET /api/risk`: exposure against every hard limit (total, per strategy, per market, positions),
 * VaR and expected shortfall at 95 % (historical and parametric, portfolio and per market), and the
 * KST loss-limit ledger (day, week, month and the instant-drop rule) at the latest equity. Without
 * an equity point the ledger part is null: the loss cannot be known, and zero would be a guess.
 */
export async function riskView(deps: ApiDeps): Promise<unknown> {
  const now = deps.clock.now();
  const { limits, rules } = deps.settings;
  const [positions, active, latest] = await Promise.all([
    deps.store.listPositions(),
    deps.store.listActiveOrders(),
    deps.equity.latestPoint(),
  ]);
  const commitments = active.map((o) => commitmentOf(o, rules));
  const held = [...new Set(positions.filter((p) => p.volume.gt(0)).map((p) => p.market))];
  const marks = await latestMarks(deps.marketData, held);
  const { horizon, closes } = await closeSeries(deps, held);
  const markPrices = new Map<Market, Price>([...marks].map(([m, v]) => [m, v.price]));
  const report = riskReport(positions, commitments, markPrices, closes, CONFIDENCE);
  const open = openPositionMarkets(positions, commitments, limits.dustThreshold);
  const limitUsage = [
    usage('total', report.exposure.total, limits.maxTotalExposure.toNumber()),
    usage('positions', open.size, limits.maxConcurrentPositions),
    ...STRATEGY_NAMES.map((s) =>
      usage(`strategy:${s}`, report.exposure.byStrategy[s] ?? 0, limits.maxStrategyExposure.toNumber()),
    ),
    ...Object.entries(report.exposure.byMarket).map(([m, used]) =>
      usage(`market:${m}`, used, limits.maxMarketExposure.toNumber()),
    ),
  ];
  let loss: unknown = null;
  if (latest !== undefined) {
    const [status, entries] = await Promise.all([
      lossStatusAt(deps.store, now, latest.equity, limits),
      currentLedgerEntries(deps.store, now),
    ]);
    const limitOf = { day: limits.loss.daily, week: limits.loss.weekly, month: limits.loss.monthly };
    loss = {
      equity: equityJson(latest),
      periods: LOSS_PERIODS.map((period) => {
        const entry = entries[period];
        const lossFraction = status.lossByPeriod[period].toNumber();
        const limit = limitOf[period].toNumber();
        return {
          period,
          periodKey: entry?.periodKey ?? null,
          startEquity: entry === undefined ? null : formatDecimal(entry.startEquity),
          peakEquity: entry === undefined ? null : formatDecimal(entry.peakEquity),
          realizedPnl: entry === undefined ? null : formatDecimal(entry.realizedPnl),
          fees: entry === undefined ? null : formatDecimal(entry.fees),
          fills: entry?.fills ?? 0,
          lossPct: lossFraction * 100,
          limitPct: limit * 100,
          used: limit > 0 ? Math.max(0, lossFraction) / limit : 0,
        };
      }),
      instantDrop: {
        lossPct: status.instantDrop.toNumber() * 100,
        limitPct: limits.loss.instantDrop.toNumber() * 100,
        reference: limits.loss.instantDropReference,
        used: Math.max(0, status.instantDrop.toNumber()) / limits.loss.instantDrop.toNumber(),
      },
      breaches: status.breaches.map((b) => ({
        trigger: b.trigger,
        periodKey: b.periodKey,
        lossPct: b.loss.toNumber() * 100,
        limitPct: b.limit.toNumber() * 100,
      })),
    };
  }
  return {
    asOf: now,
    exposure: report.exposure,
    marketValue: report.marketValue,
    limitUsage,
    valueAtRisk: {
      confidence: CONFIDENCE,
      horizon,
      historical: report.historical,
      parametric: report.parametric,
      unmeasured: report.unmeasured,
    },
    loss,
  };
}
