import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { TradingError } from '../../domain/errors/trading-error';
import type { EpochMs } from '../../domain/time/epoch';
import { type DailyReport, type ReportStore, serialiseReportBody } from '../../ports/report-store';
import { guard, isConditionFailed } from './dynamodb-errors';
import type { Item } from './item-codec';
import { queryNewest, type TableConfig, type TableContext } from './table-context';
import { Keys } from './table-keys';

/**
 * Daily reports in the state table (`REPORTS#DAILY` / KST date, no TTL: reports are history). The
 * first report of a day is kept (`attribute_not_exists`); the body is stored as JSON text so any
 * report shape round-trips exactly.
 */
export class DynamoDbReportStore implements ReportStore {
  private readonly ctx: TableContext;

  /** Same configuration as DynamoDbStateStore: every store shares the one state table. */
  constructor(config: TableConfig) {
    this.ctx = { db: config.client, tableName: config.tableName };
  }

  async putReport(report: DailyReport): Promise<'created' | 'exists'> {
    const body = serialiseReportBody(report);
    return guard('putReport', async () => {
      try {
        await this.ctx.db.send(
          new PutCommand({
            TableName: this.ctx.tableName,
            Item: {
              ...Keys.report(report.date),
              type: 'report',
              date: report.date,
              generatedAt: report.generatedAt,
              body,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'created';
      } catch (error) {
        if (isConditionFailed(error)) return 'exists';
        throw error;
      }
    });
  }

  getReport(date: string): Promise<DailyReport | undefined> {
    return guard('getReport', async () => {
      const { Item: item } = await this.ctx.db.send(
        new GetCommand({ TableName: this.ctx.tableName, Key: Keys.report(date), ConsistentRead: true }),
      );
      return item === undefined ? undefined : reportFromItem(item);
    });
  }

  listRecentReports(limit: number): Promise<DailyReport[]> {
    return guard('listRecentReports', async () => {
      if (limit <= 0) return [];
      const items = await queryNewest(this.ctx, Keys.reportsPk, limit, true);
      return items.map(reportFromItem);
    });
  }
}

function reportFromItem(item: Item): DailyReport {
  if (typeof item.date !== 'string' || typeof item.generatedAt !== 'number' || typeof item.body !== 'string')
    throw new TradingError('fatal', `stored report ${String(item.sk)} is malformed`, {
      code: 'state_store_corrupt_item',
    });
  return { date: item.date, generatedAt: item.generatedAt as EpochMs, body: JSON.parse(item.body) };
}
