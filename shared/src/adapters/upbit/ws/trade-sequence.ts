import type { Trade } from '../../../domain/market/market-data';

/**
 * Where a trade frame stands in its market's sequence: `first` of the market, `next` in order, `gap`
 * (ids were skipped: trades were lost), `duplicate` (already delivered: drop it) or `late` (older
 * than the newest delivered, never seen: deliver it, it is still a real trade).
 */
export type TradeVerdict = 'first' | 'next' | 'gap' | 'duplicate' | 'late';

/** A verdict with the newest trade known before this one, where a gap starts. */
export interface TradeCheck {
  readonly verdict: TradeVerdict;
  readonly previousId?: bigint;
  readonly previousAt?: number;
}

interface MarketSequence {
  max: bigint;
  maxAt: number;
  readonly recent: Set<bigint>;
  readonly order: bigint[];
}

/** A trade's `sequential_id` as a bigint (Upbit's exceed 2^53); undefined when it is not an integer. */
export function tradeIdOf(trade: Trade): bigint | undefined {
  try {
    return BigInt(trade.sequentialId);
  } catch {
    return undefined;
  }
}

/**
 * Tracks `sequential_id` per market on the trade stream. Upbit's ids are unique per trade but not
 * consecutive (they are derived from the trade time), so there only regressions and repeats can be
 * seen; a venue whose ids step by one per market (the fake exchange) also shows lost trades as a
 * skipped id, which is what `dense` turns on. Ids are compared as bigints: Upbit's exceed 2^53.
 */
export class TradeSequence {
  readonly #markets = new Map<string, MarketSequence>();

  constructor(
    private readonly dense: boolean,
    /** How many recent ids per market are remembered to recognise repeats. */
    private readonly window = 512,
  ) {}

  /** Classifies a trade and records it as delivered unless it is a duplicate. */
  check(trade: Trade): TradeCheck {
    const id = tradeIdOf(trade);
    if (id === undefined) return { verdict: 'next' };
    const state = this.#markets.get(trade.market);
    if (state === undefined) {
      const fresh: MarketSequence = { max: id, maxAt: trade.timestamp, recent: new Set(), order: [] };
      this.#markets.set(trade.market, fresh);
      this.#remember(fresh, id);
      return { verdict: 'first' };
    }
    if (state.recent.has(id)) return { verdict: 'duplicate' };
    const before = { previousId: state.max, previousAt: state.maxAt };
    this.#remember(state, id);
    if (id < state.max) return { verdict: 'late', ...before };
    const skipped = this.dense && id > state.max + 1n;
    state.max = id;
    state.maxAt = trade.timestamp;
    return { verdict: skipped ? 'gap' : 'next', ...before };
  }

  /** The newest trade id delivered for a market and its time, where a reconnect's gap starts. */
  last(market: string): { readonly id: bigint; readonly at: number } | undefined {
    const state = this.#markets.get(market);
    return state === undefined ? undefined : { id: state.max, at: state.maxAt };
  }

  /** Records a trade fetched to fill a gap; false when the stream delivered it meanwhile. */
  fill(trade: Trade): boolean {
    return this.check(trade).verdict !== 'duplicate';
  }

  #remember(state: MarketSequence, id: bigint): void {
    state.recent.add(id);
    state.order.push(id);
    if (state.order.length > this.window) {
      const old = state.order.shift();
      if (old !== undefined) state.recent.delete(old);
    }
  }
}
