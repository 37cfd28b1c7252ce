import type { MarketRules } from '../market/market-rules';
import { ZERO } from '../money/decimal';
import { volume as toVolume } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import type { AccountLedger } from './account-ledger';
import type { EngineEventLog } from './engine-event-log';
import { type ExchangeOrder, snapshotOrder } from './exchange-order';
import { bookFill, bookReduce, releaseResidual } from './fill-accounting';
import type { MarketBook } from './market-book';
import type { MatchingContext } from './matching-context';
import type { QueueBook } from './tape-queue-fills';

/** What the engine lends its matching callbacks: its account, books and outbox. */
export interface MatchingDeps {
  readonly ledger: AccountLedger;
  readonly rules: MarketRules;
  readonly books: ReadonlyMap<string, MarketBook>;
  readonly queues: QueueBook | undefined;
  readonly log: EngineEventLog;
  /** The uuid and exchange time (µs) of the next trade at `now`, from the engine's seeded counters. */
  nextTrade(now: EpochMs): { readonly uuid: string; readonly atUs: number };
}

/**
 * The engine's side of matching: books each fill, prevention and end of an order on the ledger, takes
 * it off its book and queue, and publishes it. Kept apart from the engine's request handling because
 * it changes with the accounting and event rules, not with the API.
 */
export class MatchingCallbacks {
  constructor(private readonly d: MatchingDeps) {}

  /** The callbacks for one engine operation at `now`. */
  at(now: EpochMs): MatchingContext {
    const { ledger, rules, log, books } = this.d;
    return {
      fill: (o, p, v, isMaker, takerSide) => {
        const { uuid, atUs } = this.d.nextTrade(now);
        const trade = bookFill(o, ledger, rules, { price: p, volume: v, isMaker, takerSide, uuid, atUs });
        log.push({ type: 'order', state: 'trade', order: snapshotOrder(o), trade, at: now });
        log.publicTrade(o.market, p, v, takerSide, now);
      },
      finish: (o, state) => this.finish(o, state, now),
      prevent: (o) => {
        o.preventedVolume = toVolume(o.remainingVolume ?? ZERO);
        o.preventedLocked = o.locked;
        log.order('prevented', o, now);
        this.finish(o, 'cancel', now);
      },
      reduce: (o, v, at) => {
        const exhausted = bookReduce(o, ledger, rules, v, at);
        log.order('prevented', o, now);
        if (exhausted) this.finish(o, 'cancel', now);
        else if (o.limitPrice !== undefined) log.book(o.market, now);
      },
      bookChanged: (market) => {
        const b = books.get(market);
        if (b !== undefined) b.updatedAt = now;
        log.book(market, now);
      },
    };
  }

  /** Ends an order (`done` or `cancel`): releases its residual lock and takes it off its book and queue. */
  finish(o: ExchangeOrder, state: 'done' | 'cancel', now: EpochMs): void {
    o.state = state;
    this.d.queues?.delete(o.uuid);
    releaseResidual(o, this.d.ledger);
    const book = this.d.books.get(o.market);
    if (book !== undefined && o.limitPrice !== undefined) {
      const before = book.restingBids.length + book.restingAsks.length;
      book.removeResting(o);
      if (book.restingBids.length + book.restingAsks.length !== before) {
        book.updatedAt = now;
        this.d.log.book(o.market, now);
      }
    }
    this.d.log.order(state, o, now);
  }
}
