import type { OrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../../shared/src/domain/orders/local-order';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { TradingVenue } from '../../../shared/src/ports/trading-venue';
import type { ExecutorMetrics } from '../health/metrics';
import { wasGivenUp } from '../orders/order-lifecycle';
import type { OrderManager } from '../orders/order-manager';
import { describeError, runEvery } from '../runtime/periodic';

/**
 * Gaps between the lookups of one given-up request, the first counted from when it was given up: a
 * request stuck in a proxy usually lands within seconds, so the first lookups come quickly; after
 * them one every {@link LATE_WATCH_EVERY_MS}. A failed lookup (429, 5xx, timeout) also moves on to
 * the next gap: that is its back-off, and the watch is kept.
 */
export const LATE_WATCH_GAPS_MS: readonly number[] = [2_000, 5_000, 10_000];
/** The gap after the first ones. */
export const LATE_WATCH_EVERY_MS = 30_000;
/**
 * How long after giving up a request is looked up (about 23 lookups in all). It bounds what the
 * watch costs; a request arriving later is left to the periodic reconciliation (open and recently
 * closed orders), as before the watch existed.
 */
export const LATE_WATCH_WINDOW_MS = 10 * 60_000;
/** How often due lookups are sent. */
export const LATE_WATCH_TICK_MS = 1_000;
/**
 * At most this many lookups per tick, sent one after the other (never two in flight). GET /order is
 * in Upbit's `default` group (30/s per pocket), shared with cancels (DELETE /order) and balance reads;
 * placements have their own `order` group. Two a second is under 7 % of that budget, so the lookups
 * can never crowd out a cancel, whatever the number watched: more watched requests only wait longer.
 */
export const LATE_WATCH_LOOKUPS_PER_TICK = 2;

/** Ports and hooks of {@link LateRequestWatch}. */
export interface LateRequestWatchDeps {
  readonly store: Pick<StateStore, 'getOrder' | 'listOrdersRejectedSince'>;
  /** Read only: the watch never places or cancels anything itself. */
  readonly venue: Pick<TradingVenue, 'getOrder'>;
  readonly manager: Pick<OrderManager, 'reviveIfStill'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ExecutorMetrics;
  /**
   * A late request found and taken back: hands it to its decision and alerts (the same path as a
   * late request the private stream shows: the execution engine's `adoptRevived`).
   */
  readonly onRevived: (order: LocalOrder) => Promise<void>;
}

interface Watched {
  readonly identifier: OrderIdentifier;
  readonly givenUpAt: EpochMs;
  lookups: number;
  due: number;
}

/**
 * Keeps looking up, by identifier, the requests the order manager gave up on after an unknown
 * outcome (rejected after the grace), so that one reaching the exchange late is found within
 * seconds even when the private stream is down or missed its event, instead of at the next
 * reconciliation minutes later (what it and the re-send fill before detection cannot be undone).
 * A found request is revived from the venue and handed to its decision, which cancels it. The watch
 * is derived from the store (given-up orders younger than the window), so a restart resumes it; it
 * runs under the emergency latch too: it only reads, and what it finds is cancelled.
 */
export class LateRequestWatch {
  readonly #watched = new Map<OrderIdentifier, Watched>();
  #resumed = false;
  /**
   * The identifier this watch is reviving now: that revival is its own, not "taken back elsewhere".
   * Should the private stream revive the same order in that very instant, the hand-over runs twice:
   * the second cancel finds the order final and does nothing; only the alert repeats.
   */
  #reviving: OrderIdentifier | undefined;

  constructor(private readonly d: LateRequestWatchDeps) {}

  /** Identifiers watched now. */
  watching(): OrderIdentifier[] {
    return [...this.#watched.keys()];
  }

  /**
   * Every stored change of an order: a given-up one starts being watched; a watched one that the
   * private stream or a reconciliation took back meanwhile stops being watched.
   */
  observe(order: LocalOrder): void {
    if (wasGivenUp(order)) this.#add(order.identifier, order.updatedAt, 'given up');
    else if (order.identifier !== this.#reviving && this.#watched.has(order.identifier))
      this.#end(order.identifier, 'taken_back', `taken back as ${order.state} by another path`);
  }

  /** Watches the given-up orders of the last {@link LATE_WATCH_WINDOW_MS} in the store (a restart). */
  async resume(): Promise<void> {
    const since = (this.d.clock.now() - LATE_WATCH_WINDOW_MS) as EpochMs;
    for (const o of await this.d.store.listOrdersRejectedSince(since))
      if (wasGivenUp(o)) this.#add(o.identifier, o.updatedAt, 'resumed from the store');
    this.#resumed = true;
  }

  /** Ticks every {@link LATE_WATCH_TICK_MS} until `signal` aborts. */
  run(signal: AbortSignal): Promise<void> {
    return runEvery('late request watch', LATE_WATCH_TICK_MS, () => this.tick(), {
      clock: this.d.clock,
      logger: this.d.logger,
      signal,
    });
  }

  /** Resumes from the store once, ends watches past the window, sends the lookups that are due. */
  async tick(): Promise<void> {
    if (!this.#resumed) await this.resume();
    const now = this.d.clock.now();
    for (const w of [...this.#watched.values()])
      if (now - w.givenUpAt >= LATE_WATCH_WINDOW_MS)
        this.#end(w.identifier, 'window_ended', 'not found on the exchange within the window');
    const due = [...this.#watched.values()]
      .filter((w) => w.due <= now)
      .sort((a, b) => a.due - b.due)
      .slice(0, LATE_WATCH_LOOKUPS_PER_TICK);
    for (const w of due) await this.#lookup(w);
    this.d.metrics.lateWatching.set(this.#watched.size);
  }

  async #lookup(w: Watched): Promise<void> {
    const d = this.d;
    try {
      const local = await d.store.getOrder(w.identifier);
      if (local === undefined || !wasGivenUp(local)) {
        this.#end(w.identifier, 'taken_back', `taken back as ${local?.state ?? 'missing'} by another path`);
        return;
      }
      const seen = await d.venue.getOrder({ identifier: w.identifier });
      d.metrics.lateLookups.inc({ result: seen === undefined ? 'not_found' : 'found' });
      // Taken back by the private stream or a reconciliation while the lookup was out: theirs to hand over.
      if (!this.#watched.has(w.identifier)) return;
      if (seen === undefined) {
        this.#reschedule(w);
        return;
      }
      this.#reviving = w.identifier;
      const revived = await d.manager.reviveIfStill(w.identifier, local.state);
      this.#reviving = undefined;
      if (revived.handledElsewhere) {
        this.#end(
          w.identifier,
          'taken_back',
          `taken back as ${revived.order?.state ?? 'missing'} by another path`,
        );
        return;
      }
      const after = revived.order;
      if (after === undefined || after.state === 'rejected') {
        this.#reschedule(w);
        return;
      }
      const delayMs = d.clock.now() - w.givenUpAt;
      this.#watched.delete(w.identifier);
      d.metrics.lateFound.inc();
      d.metrics.lateDetectionSeconds.inc({}, delayMs / 1000);
      d.logger.warn(
        'a request given up after an unknown outcome is on the exchange (found by lookup); taken back',
        {
          identifier: w.identifier,
          decisionId: after.decisionId,
          state: after.state,
          executedVolume: after.executedVolume.toFixed(),
          lookups: w.lookups + 1,
          detectionDelayMs: delayMs,
          venueCreatedAt: seen?.createdAt,
        },
      );
      await d.onRevived(after);
    } catch (error) {
      d.metrics.lateLookups.inc({ result: 'error' });
      this.#reschedule(w);
      d.logger.warn('late request lookup failed; the watch is kept and looks again later', {
        identifier: w.identifier,
        retryInMs: w.due - d.clock.now(),
        error: describeError(error),
      });
    } finally {
      this.#reviving = undefined;
    }
  }

  #add(identifier: OrderIdentifier, givenUpAt: EpochMs, why: string): void {
    if (this.#watched.has(identifier)) return;
    if (this.d.clock.now() - givenUpAt >= LATE_WATCH_WINDOW_MS) return;
    this.#watched.set(identifier, {
      identifier,
      givenUpAt,
      lookups: 0,
      due: givenUpAt + (LATE_WATCH_GAPS_MS[0] ?? LATE_WATCH_EVERY_MS),
    });
    this.d.metrics.lateWatched.inc();
    this.d.metrics.lateWatching.set(this.#watched.size);
    this.d.logger.info('watching a request given up after an unknown outcome', {
      identifier,
      why,
      givenUpAt,
      windowMs: LATE_WATCH_WINDOW_MS,
    });
  }

  #reschedule(w: Watched): void {
    w.lookups += 1;
    w.due = this.d.clock.now() + (LATE_WATCH_GAPS_MS[w.lookups] ?? LATE_WATCH_EVERY_MS);
  }

  #end(identifier: OrderIdentifier, reason: 'taken_back' | 'window_ended', detail: string): void {
    const w = this.#watched.get(identifier);
    if (w === undefined) return;
    this.#watched.delete(identifier);
    this.d.metrics.lateWatchEnded.inc({ reason });
    this.d.metrics.lateWatching.set(this.#watched.size);
    this.d.logger.info('stopped watching a given-up request', {
      identifier,
      reason,
      detail,
      lookups: w.lookups,
    });
  }
}
