import { TradingError } from '../../domain/errors/trading-error';
import type { Decimal } from '../../domain/money/decimal';
import type { Krw } from '../../domain/money/quantities';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { kstDateKey, nextKstDayStart } from '../../domain/time/kst-calendar';
import type { Clock } from '../../ports/clock';
import type { EquityHistoryStore } from '../../ports/equity-history-store';
import type { FillJournal } from '../../ports/fill-journal';
import type { Alert, Notifier } from '../../ports/notifier';
import type { OrderRepository } from '../../ports/order-repository';
import { type DailyReport, isKstDateKey, type JsonValue, type ReportStore } from '../../ports/report-store';
import { type PerformanceSummary, summarizePerformance } from './performance-summary';
import { toReportJson } from './report-json';
import { type DayRiskUsage, renderDailyReport } from './report-text';

/** Days of history behind the report's Sharpe, drawdown and goal hit rate (one day has no Sharpe). */
export const TRAILING_DAYS = 30;
/** Version of the stored report body; bump on a breaking change (the dashboard reads old ones too). */
export const REPORT_BODY_VERSION = 1;

/** Ports of the daily report. */
export interface DailyReportDeps {
  readonly journal: Pick<FillJournal, 'listFills' | 'listPositions' | 'getLedgerEntry'> &
    Pick<OrderRepository, 'getOrder'>;
  readonly equity: Pick<EquityHistoryStore, 'pointsByDay'>;
  readonly reports: Pick<ReportStore, 'getReport' | 'putReport'>;
  readonly notifier: Notifier;
  readonly clock: Pick<Clock, 'now'>;
}

/** Which day, and the config facts the report needs. */
export interface DailyReportInput {
  /** KST date `YYYY-MM-DD`; yesterday (KST) when absent, which is what the 09:00 KST schedule wants. */
  readonly date?: string;
  readonly dailyGoalPct: number;
  readonly strategyCapital: Krw;
  readonly sellFeeRate: Decimal;
  readonly limits: RiskLimits;
}

/** What the run did: `created` a report or found the day's report (`exists`), and sent it. */
export interface DailyReportResult {
  readonly date: string;
  readonly outcome: 'created' | 'exists';
  readonly report: DailyReport;
  readonly alert: Alert;
}

function dayRange(date: string): { from: EpochMs; to: EpochMs } {
  const from = Date.parse(`${date}T00:00:00+09:00`) as EpochMs;
  return { from, to: nextKstDayStart(from) };
}

function riskUsage(
  summary: PerformanceSummary,
  startEquity: Krw | undefined,
  limits: RiskLimits,
  fills: number,
): DayRiskUsage {
  const a = summary.account;
  if (startEquity === undefined || !startEquity.gt(0) || a === undefined)
    return {
      startEquity,
      worstLoss: undefined,
      dailyLimitUsage: undefined,
      instantLimitUsage: undefined,
      fills,
    };
  const worst = startEquity.minus(a.lowEquity).div(startEquity);
  const end = startEquity.minus(a.endEquity).div(startEquity);
  return {
    startEquity,
    worstLoss: worst.toNumber(),
    dailyLimitUsage: worst.div(limits.loss.daily).toNumber(),
    instantLimitUsage: end.div(limits.loss.instantDrop).toNumber(),
    fills,
  };
}

async function buildReport(
  deps: DailyReportDeps,
  input: DailyReportInput,
  date: string,
): Promise<DailyReport> {
  const { from, to } = dayRange(date);
  const common = {
    dailyGoalPct: input.dailyGoalPct,
    strategyCapital: input.strategyCapital,
    sellFeeRate: input.sellFeeRate,
  };
  const summaryDeps = { journal: deps.journal, equity: deps.equity, clock: deps.clock };
  const [day, trailing, ledger] = await Promise.all([
    summarizePerformance(summaryDeps, { ...common, from, to }),
    summarizePerformance(summaryDeps, { ...common, from: (to - TRAILING_DAYS * MS.day) as EpochMs, to }),
    deps.journal.getLedgerEntry(date),
  ]);
  const risk = riskUsage(day, ledger?.startEquity ?? day.account?.startEquity, input.limits, day.total.fills);
  const text = {
    ko: renderDailyReport(date, day, trailing, risk, 'ko'),
    en: renderDailyReport(date, day, trailing, risk, 'en'),
  };
  const body: JsonValue = {
    v: REPORT_BODY_VERSION,
    date,
    text,
    day: toReportJson(day),
    trailing: toReportJson({ days: TRAILING_DAYS, account: trailing.account, total: trailing.total }),
    risk: toReportJson(risk),
  };
  return { date, generatedAt: deps.clock.now(), body };
}

/** The Telegram alert of a stored report: built from it alone, so a re-send is byte-identical. */
export function reportAlert(report: DailyReport): Alert {
  const body = report.body as { text?: { ko?: unknown; en?: unknown } } | null;
  const ko = typeof body?.text?.ko === 'string' ? body.text.ko : `일일 리포트 ${report.date}`;
  const en = typeof body?.text?.en === 'string' ? body.text.en : `Daily report ${report.date}`;
  return { severity: 'info', key: `report:daily:${report.date}`, at: report.generatedAt, text: { ko, en } };
}

/**
 * The daily report (09:00 KST for yesterday, or on demand for any finished KST day): PnL, trades,
 * per-strategy results, Sharpe/MDD over the trailing 30 days, the 2 % goal and risk usage. Stored
 * once per day (put-if-absent: a re-run or a racing run keeps the first report) and then sent, built
 * from the stored report, so a run retried after a crash between storing and sending re-sends the
 * identical alert, which the alert queue deduplicates; a retried invocation that already finished
 * is answered by the handler's idempotency record without running at all.
 */
export async function generateDailyReport(
  deps: DailyReportDeps,
  input: DailyReportInput,
): Promise<DailyReportResult> {
  const now = deps.clock.now();
  const date = input.date ?? kstDateKey((now - MS.day) as EpochMs);
  if (!isKstDateKey(date))
    throw new TradingError('rejected', `date "${date}" is not a KST date YYYY-MM-DD`, {
      code: 'invalid_date',
    });
  if (dayRange(date).to > now)
    throw new TradingError('rejected', `KST day ${date} is not over yet: a report covers a finished day`, {
      code: 'day_not_over',
    });
  let report = await deps.reports.getReport(date);
  let outcome: DailyReportResult['outcome'] = 'exists';
  if (report === undefined) {
    const built = await buildReport(deps, input, date);
    outcome = await deps.reports.putReport(built);
    report = outcome === 'created' ? built : await deps.reports.getReport(date);
    if (report === undefined)
      throw new TradingError('retryable', `report ${date} exists but could not be read back`, {
        code: 'report_unreadable',
      });
  }
  const alert = reportAlert(report);
  await deps.notifier.notify(alert);
  return { date, outcome, report, alert };
}
