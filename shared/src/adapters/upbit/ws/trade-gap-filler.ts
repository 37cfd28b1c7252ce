import type { Trade } from '../../../domain/market/market-data';
import type { Market } from '../../../domain/market/market-id';
import { type TradeSequence, tradeIdOf } from './trade-sequence';

/** `GET /trades/ticks`: up to `count` trades older than the `cursor` id (the latest without), newest first. */
export type TradePageFetcher = (market: Market, count: number, cursor?: string) => Promise<Trade[]>;

/** Where the filler reports: the missed trades oldest first (never none), or why fetching them failed. */
export interface TradeGapReport {
  filled(market: Market, trades: readonly Trade[], gapStartedAt: number): void;
  failed(market: Market, error: unknown): void;
}

interface Gap {
  after: bigint;
  /** Undefined: up to the newest trade (after a reconnect, nothing bounds the gap yet). */
  before: bigint | undefined;
  since: number;
}

const MAX_PAGE = 500;
const OPEN_GAP_PAGE = 200;

/**
 * Fills trade gaps from REST: the trades strictly between the last id before a gap and the id that
 * revealed it, minus any the stream delivered meanwhile. One request per market at a time; gaps found
 * while one is in flight are merged into the next, so a burst of lost frames costs one or two calls of
 * the `trade` group (10/s per IP), never one per frame.
 */
export class TradeGapFiller {
  readonly #pending = new Map<Market, Gap>();
  readonly #running = new Set<Market>();

  constructor(
    private readonly fetchPage: TradePageFetcher,
    private readonly sequence: TradeSequence,
    private readonly report: TradeGapReport,
  ) {}

  /** Asks for the trades with `after < id < before` of a market (merged with any pending gap). */
  request(market: Market, after: bigint, before: bigint | undefined, since: number): void {
    const p = this.#pending.get(market);
    this.#pending.set(
      market,
      p === undefined
        ? { after, before, since }
        : {
            after: p.after < after ? p.after : after,
            before:
              p.before === undefined || before === undefined
                ? undefined
                : p.before > before
                  ? p.before
                  : before,
            since: Math.min(p.since, since),
          },
    );
    if (!this.#running.has(market)) void this.#run(market);
  }

  /** Forgets gaps not yet fetched (the stream stopped). */
  clear(): void {
    this.#pending.clear();
  }

  async #run(market: Market): Promise<void> {
    this.#running.add(market);
    try {
      for (let gap = this.#pending.get(market); gap !== undefined; gap = this.#pending.get(market)) {
        this.#pending.delete(market);
        await this.#fill(market, gap);
      }
    } finally {
      this.#running.delete(market);
    }
  }

  async #fill(market: Market, gap: Gap): Promise<void> {
    const { after, before } = gap;
    const wanted = before === undefined ? BigInt(OPEN_GAP_PAGE) : before - after - 1n;
    const count = wanted > BigInt(MAX_PAGE) ? MAX_PAGE : Math.max(1, Number(wanted));
    let page: Trade[];
    try {
      page = await this.fetchPage(market, count, before?.toString());
    } catch (error) {
      this.report.failed(market, error);
      return;
    }
    const missed = page
      .map((trade) => ({ trade, id: tradeIdOf(trade) }))
      .filter(
        (t): t is { trade: Trade; id: bigint } =>
          t.id !== undefined && t.id > after && (before === undefined || t.id < before),
      )
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((t) => t.trade)
      .filter((trade) => this.sequence.fill(trade));
    if (missed.length > 0) this.report.filled(market, missed, gap.since);
  }
}
