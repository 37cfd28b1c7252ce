import { type DailyReport, type ReportStore, serialiseReportBody } from '../../ports/report-store';

/**
 * In-memory {@link ReportStore}: first report per KST date wins, like the DynamoDB adapter's
 * conditional put. Bodies are stored as JSON text, so a caller mutating its object afterwards
 * cannot change the record and a body too large for DynamoDB is refused here too.
 */
export class MemoryReportStore implements ReportStore {
  private readonly reports = new Map<string, { readonly generatedAt: number; readonly json: string }>();

  async putReport(report: DailyReport): Promise<'created' | 'exists'> {
    const json = serialiseReportBody(report);
    if (this.reports.has(report.date)) return 'exists';
    this.reports.set(report.date, { generatedAt: report.generatedAt, json });
    return 'created';
  }

  async getReport(date: string): Promise<DailyReport | undefined> {
    const stored = this.reports.get(date);
    return stored === undefined ? undefined : toReport(date, stored);
  }

  async listRecentReports(limit: number): Promise<DailyReport[]> {
    return [...this.reports.keys()]
      .sort()
      .reverse()
      .slice(0, Math.max(0, limit))
      .map((date) => toReport(date, this.reports.get(date) as { generatedAt: number; json: string }));
  }
}

function toReport(
  date: string,
  stored: { readonly generatedAt: number; readonly json: string },
): DailyReport {
  return {
    date,
    generatedAt: stored.generatedAt as DailyReport['generatedAt'],
    body: JSON.parse(stored.json),
  };
}
