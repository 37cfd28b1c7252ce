import type { Trade } from '../../../domain/market/market-data';
import type { Market } from '../../../domain/market/market-id';
import type { Logger } from '../../../ports/logger';
import { TradeGapFiller, type TradeGapReport, type TradePageFetcher } from './trade-gap-filler';
import { TradeSequence } from './trade-sequence';

/** Settings of {@link TradeContinuity}. */
export interface TradeContinuityOptions {
  /** The venue numbers trades 1, 2, 3… per market, so a skipped id is a lost trade. */
  readonly dense: boolean;
  /** REST `/trades/ticks`; without it gaps are only counted and logged. */
  readonly history?: TradePageFetcher;
  readonly logger?: Logger;
  /** Where refilled trades (or a failed refill) go. */
  readonly report: TradeGapReport;
}

const LOG_EVERY = 1_000;

/**
 * The trade stream's continuity check: repeats are dropped, late trades let through, skipped ids
 * refilled from REST; every one of them is counted and (sparingly) logged, so a feed that loses or
 * doubles trades shows on the dashboard instead of skewing candles and volume signals unseen.
 */
export class TradeContinuity {
  readonly #sequence: TradeSequence;
  readonly #filler: TradeGapFiller | undefined;
  readonly #logger: Logger | undefined;
  #outOfSequence = 0;

  constructor(options: TradeContinuityOptions) {
    this.#sequence = new TradeSequence(options.dense);
    this.#logger = options.logger;
    this.#filler =
      options.history === undefined
        ? undefined
        : new TradeGapFiller(options.history, this.#sequence, options.report);
  }

  /** Trades seen out of sequence so far (skipped ids, repeats, late arrivals). */
  get outOfSequence(): number {
    return this.#outOfSequence;
  }

  /** False for a trade already delivered (drop it); true otherwise, after asking for any skipped ones. */
  admit(trade: Trade): boolean {
    const check = this.#sequence.check(trade);
    if (check.verdict === 'first' || check.verdict === 'next') return true;
    this.#outOfSequence += 1;
    if (this.#outOfSequence <= 10 || this.#outOfSequence % LOG_EVERY === 0)
      this.#logger?.warn('upbit trade stream out of sequence', {
        market: trade.market,
        verdict: check.verdict,
        sequentialId: trade.sequentialId,
        previousId: check.previousId?.toString(),
        outOfSequence: this.#outOfSequence,
      });
    if (check.verdict === 'duplicate') return false;
    if (check.verdict === 'gap' && check.previousId !== undefined)
      this.#filler?.request(
        trade.market,
        check.previousId,
        BigInt(trade.sequentialId),
        check.previousAt ?? trade.timestamp,
      );
    return true;
  }

  /**
   * After a reconnect: asks REST for each market's trades newer than the last one delivered, since
   * Upbit never replays what a dropped socket missed and its ids cannot show the gap by themselves.
   */
  resume(markets: readonly Market[]): void {
    for (const market of markets) {
      const last = this.#sequence.last(market);
      if (last !== undefined) this.#filler?.request(market, last.id, undefined, last.at);
    }
  }

  /** Forgets refills not yet fetched (the stream stopped). */
  clear(): void {
    this.#filler?.clear();
  }
}
