import type { Market } from '../market/market-id';
import type { Krw, Price, Volume } from '../money/quantities';
import type { DecisionId } from '../orders/identifiers';
import type { OrderSide } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import type { StrategyName } from './strategy-name';

/** How one strategy voted in a decision; kept for per-strategy performance and pattern analysis. */
export interface SignalContribution {
  readonly strategy: StrategyName;
  /** +1 buy … −1 sell, already multiplied by strength (0..1). */
  readonly score: number;
  readonly weight: number;
  readonly reason: string;
}

/** One resting quote the executor should maintain (post-only maker order). */
export interface QuoteLevel {
  readonly side: OrderSide;
  readonly price: Price;
  readonly volume: Volume;
}

/**
 * What a decision asks the executor to do for one market:
 * - `directional`: buy or sell about `notional` KRW; `limitPrice` bounds the price, `urgency` chooses maker-first or taker.
 * - `quotes`: replace the market-making quotes with exactly these levels (empty = pull all quotes).
 * - `flatten`: sell the whole position within the slippage guard.
 * - `hold`: do nothing (recorded so the dashboard can show why nothing traded).
 */
export type DecisionIntent =
  | {
      readonly kind: 'directional';
      readonly side: OrderSide;
      readonly notional: Krw;
      readonly limitPrice?: Price;
      readonly urgency: 'passive' | 'aggressive';
      readonly stopLossPct?: number;
      readonly takeProfitPct?: number;
    }
  | { readonly kind: 'quotes'; readonly levels: readonly QuoteLevel[] }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'hold' };

/**
 * A decision: produced by the analysis (ensemble + risk) once per market per minute, carried over
 * the FIFO queue, and turned into orders by the executor. Its `id` is the idempotency key of
 * everything downstream; `expiresAt` stops a stale decision from trading after a backlog.
 */
export interface Decision {
  readonly id: DecisionId;
  readonly market: Market;
  readonly createdAt: EpochMs;
  readonly expiresAt: EpochMs;
  /** `ensemble` for the weighted vote, a strategy name when one strategy runs alone, `operator` for manual commands. */
  readonly source: StrategyName | 'ensemble' | 'operator';
  /** Strategy the resulting position and PnL are attributed to (market making quotes are attributed to it). */
  readonly strategy: StrategyName | 'operator';
  readonly intent: DecisionIntent;
  readonly signals: readonly SignalContribution[];
}
