import { TradingError } from '../domain/errors/trading-error';
import type { EpochMs } from '../domain/time/epoch';

/** A JSON value: what a report body may contain (money as decimal text, never a float). */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * The daily report of one KST trading day (Upbit's day and the loss limits are KST). The body is
 * whatever the report function renders as JSON; the store neither reads nor validates it.
 */
export interface DailyReport {
  /** KST date `YYYY-MM-DD`. */
  readonly date: string;
  readonly generatedAt: EpochMs;
  readonly body: JsonValue;
}

/** Largest serialised body a store accepts: DynamoDB items are capped at 400 KB. */
export const MAX_REPORT_BYTES = 350_000;

/** True for a well-formed KST date key `YYYY-MM-DD` (stores refuse anything else as a key). */
export function isKstDateKey(date: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date);
}

/**
 * Daily reports by KST date. A report is written once (`put-if-absent`): a re-run of the report
 * function for the same day, or two racing runs, keep the first report, so what was sent to the
 * operator is what stays on record.
 */
export interface ReportStore {
  /** `exists` when the day already has a report (the stored one is left unchanged). */
  putReport(report: DailyReport): Promise<'created' | 'exists'>;
  getReport(date: string): Promise<DailyReport | undefined>;
  /** The latest `limit` reports, newest first (the dashboard's list). */
  listRecentReports(limit: number): Promise<DailyReport[]>;
}

/**
 * Checks the key and size of a report and returns its body as JSON text; shared by every store so
 * they refuse the same reports (`rejected`: retrying the same report cannot succeed).
 */
export function serialiseReportBody(report: DailyReport): string {
  if (!isKstDateKey(report.date))
    throw new TradingError('rejected', `report date "${report.date}" is not a KST date YYYY-MM-DD`, {
      code: 'report_invalid',
    });
  const json = JSON.stringify(report.body);
  const bytes = new TextEncoder().encode(json).length;
  if (bytes > MAX_REPORT_BYTES)
    throw new TradingError(
      'rejected',
      `report ${report.date} is ${bytes} bytes; the limit is ${MAX_REPORT_BYTES}`,
      {
        code: 'report_too_large',
      },
    );
  return json;
}
