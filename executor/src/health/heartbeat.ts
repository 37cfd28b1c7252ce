import type { Clock } from '../../../shared/src/ports/clock';
import type { ComponentStatusStore } from '../../../shared/src/ports/component-status-store';
import type { Logger } from '../../../shared/src/ports/logger';
import type { JsonValue } from '../../../shared/src/ports/report-store';
import { describeError, runEvery } from '../runtime/periodic';

/** How often the executor reports its health (the API shows it; the risk function alerts when it goes stale). */
export const HEARTBEAT_MS = 10_000;

/** What the heartbeat reports, assembled by the runtime at each beat. */
export interface HealthSnapshot {
  readonly healthy: boolean;
  readonly summary: string;
  readonly details: { readonly [key: string]: JsonValue };
}

/**
 * Writes the executor's status (component `executor`) every 10 s: healthy or not, a short summary
 * (`running`, `reconciling`, `draining`, `halted`…) and details (mode, exchange, reconciled,
 * draining, open orders, WebSocket state, last decision time, version). A failed write is logged and
 * retried at the next beat; it never stops trading.
 */
export class Heartbeat {
  constructor(
    private readonly d: {
      readonly store: ComponentStatusStore;
      readonly clock: Clock;
      readonly logger: Logger;
      readonly snapshot: () => HealthSnapshot;
    },
  ) {}

  /** Writes one status now. */
  async beat(): Promise<void> {
    const s = this.d.snapshot();
    await this.d.store.putStatus({
      component: 'executor',
      at: this.d.clock.now(),
      healthy: s.healthy,
      summary: s.summary,
      details: s.details,
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runEvery(
      'heartbeat',
      HEARTBEAT_MS,
      () =>
        this.beat().catch((error: unknown) => {
          this.d.logger.warn('heartbeat write failed', { error: describeError(error) });
        }),
      { clock: this.d.clock, logger: this.d.logger, signal },
      { immediately: true },
    );
  }
}
