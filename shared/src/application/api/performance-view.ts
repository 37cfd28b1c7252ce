import type { Market } from '../../domain/market/market-id';
import type { Price } from '../../domain/money/quantities';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { kstDayStart } from '../../domain/time/kst-calendar';
import { summarizePerformance } from '../reporting/performance-summary';
import { toReportJson } from '../reporting/report-json';
import type { ApiDeps } from './api-deps';
import { latestMarks } from './portfolio-view';

/**
 * `GET /api/performance?days=`: the reporting use case's summary (the same one the daily report
 * uses, so dashboard and report never disagree) over the last `days` KST days including today,
 * open positions marked at the latest 1-minute close. Money is decimal text, ratios are rounded.
 */
export async function performanceView(deps: ApiDeps, days: number): Promise<unknown> {
  const now = deps.clock.now();
  const from = (kstDayStart(now) - (days - 1) * MS.day) as EpochMs;
  const positions = await deps.store.listPositions();
  const held = [...new Set(positions.filter((p) => p.volume.gt(0)).map((p) => p.market))];
  const marks = await latestMarks(deps.marketData, held);
  const summary = await summarizePerformance(
    { journal: deps.store, equity: deps.equity, clock: deps.clock },
    {
      from,
      to: (now + 1) as EpochMs,
      dailyGoalPct: deps.settings.dailyGoalPct,
      strategyCapital: deps.settings.limits.maxStrategyExposure,
      marks: new Map<Market, Price>([...marks].map(([m, v]) => [m, v.price])),
      sellFeeRate: deps.settings.rules.takerFee,
    },
  );
  return { days, ...(toReportJson(summary) as Record<string, unknown>) };
}
