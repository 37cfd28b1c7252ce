import type { Market } from '../../../shared/src/domain/market/market-id';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type { Notifier } from '../../../shared/src/ports/notifier';
import { describeError, runEvery } from '../runtime/periodic';
import type { MarketState } from './market-state';

/** How often the books' ages are looked at. */
export const BOOK_FRESHNESS_CHECK_MS = 1_000;

/** What {@link BookFreshnessWatch} reads and tells. */
export interface BookFreshnessDeps {
  readonly market: MarketState;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly notifier: Notifier;
}

/**
 * Tells the operator when a market pauses because its book went stale (MarketState stops pricing
 * off it) and when it resumes with the next update. The pause itself needs no action here: it is the
 * absence of a fresh book; this only makes it visible (log line, alert, both ways).
 */
export class BookFreshnessWatch {
  readonly #paused = new Set<Market>();

  constructor(private readonly d: BookFreshnessDeps) {}

  /** Markets paused now. */
  paused(): Market[] {
    return [...this.#paused];
  }

  /** One look: alerts every market that went stale or fresh since the previous one. */
  check(): void {
    const d = this.d;
    const stale = new Set(d.market.staleMarkets());
    const at = d.clock.now() as EpochMs;
    for (const m of stale) {
      if (this.#paused.has(m)) continue;
      this.#paused.add(m);
      const seconds = Math.round((d.market.bookAgeMs(m) ?? 0) / 1000);
      d.logger.warn('market data stale: trading paused', { market: m, bookAgeMs: d.market.bookAgeMs(m) });
      this.#notify({
        severity: 'warning',
        key: `feed:stale_book:${m}`,
        at,
        text: {
          ko: `[시세 지연] ${m} 호가가 ${seconds}초 동안 갱신되지 않아 이 마켓의 주문을 멈췄습니다. 호가가 다시 들어오면 자동으로 재개합니다.`,
          en: `[STALE BOOK] ${m}: no order-book update for ${seconds} s; trading in this market is paused and resumes by itself with the next update.`,
        },
      });
    }
    for (const m of [...this.#paused]) {
      if (stale.has(m)) continue;
      this.#paused.delete(m);
      d.logger.info('market data fresh again: trading resumed', { market: m });
      this.#notify({
        severity: 'info',
        key: `feed:book_fresh:${m}`,
        at,
        text: {
          ko: `[시세 정상] ${m} 호가가 다시 갱신되어 주문을 재개했습니다.`,
          en: `[BOOK FRESH] ${m}: order-book updates are back; trading resumed.`,
        },
      });
    }
  }

  /** Checks every second until `signal` aborts. */
  run(signal: AbortSignal): Promise<void> {
    const d = this.d;
    return runEvery('book freshness', BOOK_FRESHNESS_CHECK_MS, async () => this.check(), {
      clock: d.clock,
      logger: d.logger,
      signal,
    });
  }

  #notify(alert: Parameters<Notifier['notify']>[0]): void {
    void this.d.notifier
      .notify(alert)
      .catch((error: unknown) =>
        this.d.logger.warn('alert not sent', { key: alert.key, error: describeError(error) }),
      );
  }
}
