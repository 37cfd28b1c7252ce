import type { Market } from '../market/market-id';
import { fingerprint } from '../text/fnv1a';
import { encodeState, restoreStateRoot, type StateNode, stateShape } from './state-codec';

/** Version of the snapshot format itself; bump it when the codec's encoding changes. */
export const SNAPSHOT_FORMAT = 1;

/**
 * The snapshot key of a strategy: its parameters, the layout of a fresh market state and the
 * format version. A stored snapshot with another key was written by other code or other
 * parameters and is discarded (the strategy warms up from stored candles instead).
 */
export function stateKeyOf(name: string, params: unknown, freshState: unknown): string {
  return `${name}/v${SNAPSHOT_FORMAT}/${fingerprint(JSON.stringify(params))}/${fingerprint(stateShape(freshState))}`;
}

/**
 * Per-market indicator state of a strategy that watches each market on its own, with snapshot and
 * restore. A restore fills a freshly built state and only then replaces the current one, so a
 * snapshot that does not fit leaves the market as it was.
 */
export class MarketStates<S extends object> {
  private readonly states = new Map<Market, S>();
  /**
   * The market last asked for and its state: every bar asks for its market's state, and a
   * single-market run (and each market's run of strategies in `all`) asks for the same one again, so
   * the map is consulted only when the market changes. A market's state object changes only in
   * {@link load}, which updates this pair too.
   */
  private recentMarket: Market | undefined = undefined;
  private recentState: S | undefined = undefined;
  /** See {@link stateKeyOf}. */
  readonly stateKey: string;

  constructor(
    name: string,
    params: unknown,
    markets: readonly Market[],
    private readonly fresh: () => S,
  ) {
    for (const m of markets) this.states.set(m, fresh());
    this.stateKey = stateKeyOf(name, params, fresh());
  }

  /** The market's state, undefined for a market the strategy does not watch. */
  get(market: Market): S | undefined {
    if (market === this.recentMarket) return this.recentState;
    const state = this.states.get(market);
    this.recentMarket = market;
    this.recentState = state;
    return state;
  }

  /** The market's state as JSON-safe data. */
  save(market: Market): StateNode | undefined {
    const s = this.states.get(market);
    return s === undefined ? undefined : encodeState(s);
  }

  /** Replaces the market's state with a snapshot; throws SnapshotMismatchError when it does not fit. */
  load(market: Market, node: StateNode): void {
    if (!this.states.has(market)) return;
    const next = this.fresh();
    restoreStateRoot(next, node, market);
    this.states.set(market, next);
    if (market === this.recentMarket) this.recentState = next;
  }
}
