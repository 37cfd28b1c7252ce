import type { StrategyName } from '../../domain/trading/strategy-name';
import type { AuditLog } from '../../ports/audit-log';
import { VersionConflictError } from '../../ports/order-repository';
import {
  checkStrategySettings,
  type StrategySettings,
  type StrategySettingsChange,
  type StrategySettingsStore,
  strategySettingsAudit,
} from '../../ports/strategy-settings-store';

/**
 * In-memory {@link StrategySettingsStore} with the DynamoDB adapter's rules: version compare-and-set
 * and an audit entry per change, appended to the given audit log (usually the MemoryStateStore,
 * so the dashboard reads one trail). The check and the write happen in one synchronous step, so
 * two racing changes on the same version cannot both win.
 */
export class MemoryStrategySettingsStore implements StrategySettingsStore {
  private readonly settings = new Map<StrategyName, StrategySettings>();

  constructor(private readonly audit: Pick<AuditLog, 'appendAudit'>) {}

  async getStrategySettings(strategy: StrategyName): Promise<StrategySettings | undefined> {
    return this.settings.get(strategy);
  }

  async listStrategySettings(): Promise<StrategySettings[]> {
    return [...this.settings.values()].sort((a, b) =>
      a.strategy < b.strategy ? -1 : a.strategy > b.strategy ? 1 : 0,
    );
  }

  async putStrategySettings(
    change: StrategySettingsChange,
    expectedVersion: number,
  ): Promise<StrategySettings> {
    checkStrategySettings(change);
    const found = this.settings.get(change.strategy)?.version ?? 0;
    if (found !== expectedVersion)
      throw new VersionConflictError(
        `strategy settings ${change.strategy}: expected version ${expectedVersion}, found ${found}`,
      );
    const stored: StrategySettings = {
      ...change,
      params: { ...change.params },
      version: expectedVersion + 1,
    };
    this.settings.set(change.strategy, stored);
    await this.audit.appendAudit(strategySettingsAudit(stored));
    return stored;
  }
}
