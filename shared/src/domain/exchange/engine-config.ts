import type { Market } from '../market/market-id';
import type { MarketRules } from '../market/market-rules';
import type { OrderSnapshot } from './exchange-order';
import type { ExchangeError } from './order-intake';

/** Engine set-up. Everything that varies between runs comes in here; nothing is read from the environment. */
export interface EngineConfig {
  readonly markets: readonly Market[];
  /** PRNG seed for uuids. */
  readonly seed: number;
  /** Default `KRW_MARKET_RULES` (market-rules.ts): the same table the pre-trade checks use. */
  readonly rules?: MarketRules;
  /**
   * Queue-position assumption for tape fills: `true` (default) = a public trade at P fills our orders
   * resting AT P too (we are assumed first in the queue at our price — optimistic); `false` = only orders
   * strictly better than P fill (conservative: we are assumed last in the queue).
   */
  readonly tapeFillsAtPrice?: boolean;
  /**
   * `true` = the backtester's tape fill model (paper venue, tape-replaying sim): a resting order joins
   * the back of its level's queue as the book showed it on arrival and fills only from printed volume
   * beyond its price, or at its price after the queue ahead (`offerTrade`); a replaced book never fills
   * it (a recorded book could not have traded with us). Overrides `tapeFillsAtPrice`.
   */
  readonly tapeQueue?: boolean;
}

/** Result of a placement: the order as accepted (`wait`) and as it stands after immediate matching. */
export type PlaceResult =
  | { readonly ok: true; readonly accepted: OrderSnapshot; readonly final: OrderSnapshot }
  | { readonly ok: false; readonly error: ExchangeError };
