import {
  reasonOf as decisionReason,
  type PlannedOrderSpec,
  quoteOrderReason,
} from '../../domain/ensemble/order-plan';
import type { Market } from '../../domain/market/market-id';
import type { Krw, Volume } from '../../domain/money/quantities';
import { type DecisionId, type OrderIdentifier, orderIdentifier } from '../../domain/orders/identifiers';
import type { OrderSide } from '../../domain/orders/order-types';
import type { Commitment } from '../../domain/risk/exposure';
import { QuoteReason } from '../../domain/strategies/market-making/quote-reason';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import type { StrategyName } from '../../domain/trading/strategy-name';

/**
 * What the simulated broker accepts, mirroring the three Upbit order shapes the engine uses:
 * a limit order (optionally post-only), a market buy by KRW amount (`ord_type=price`) and a market
 * sell by volume (`ord_type=market`). Kept as a discriminated union so an impossible combination
 * (a market buy with a volume) cannot be built.
 */
export type SimOrderSpec = PlannedOrderSpec;

/** An order request: the shape plus whom it is for and why (the why ends up on every fill). */
export interface SimOrderRequest {
  readonly identifier: OrderIdentifier;
  readonly market: Market;
  readonly strategy: StrategyName | 'operator';
  readonly spec: SimOrderSpec;
  readonly reason: string;
  /**
   * The decision the identifier was derived from (`orderIdentifier(decisionId, …)`), when the
   * caller has it: the risk engine's commitment names it without parsing the identifier.
   */
  readonly decisionId?: DecisionId | undefined;
}

/**
 * An accepted order waiting for the next bar of its market (the simulated network latency). A quote
 * layer of an approved decision (`SimulatedBroker.placeQuote`) carries its decision and leg instead
 * of its texts: the identifier and the reason are made by {@link identifierOf} / {@link reasonOf}
 * when a fill or a rejection reads them (most layers live one bar unfilled), the very texts an
 * eager request gives (`orderIdentifier(decision.id, leg)`, the order plan's `quoteOrderReason`).
 */
export interface SimOrder extends Omit<SimOrderRequest, 'identifier' | 'reason'> {
  /** Undefined until first read for a quote layer placed without it (see {@link identifierOf}). */
  identifier?: OrderIdentifier | undefined;
  /** Undefined until first read for a quote layer placed without it (see {@link reasonOf}). */
  reason?: string | undefined;
  /** The approved quotes decision a lazily described layer belongs to, with `leg` its level index. */
  readonly quoteOf?: Decision | undefined;
  readonly leg?: number | undefined;
  readonly placedAt: EpochMs;
  /** KRW reserved for a bid (total × (1 + fee)), released when the order ends (see `lazyLock`). */
  lockedKrw: Krw;
  /**
   * A limit bid's lock as a double while its exact decimal is not built (`lockedKrw` is zero until
   * then; see LockBook), 0 while there is none: such a lock is always positive (surelyFits), and a
   * field that only ever holds numbers keeps its own number box, written in place, where a
   * `number | undefined` field took a new heap number per lazy bid, stored into the (often reused,
   * old) order through the write barrier's slow path.
   */
  lazyLock: number;
  /** Volume still to fill (limit orders and market sells). */
  remaining: Volume;
  /**
   * The risk engine's view of this order (SimulatedBroker.commitments), kept until `lockedKrw` or
   * `remaining` change: the list is rebuilt after every placement, and every market's decision reads it.
   */
  commitment?: Commitment | undefined;
}

/** The order's Upbit identifier, made once on first read for a lazily described quote layer. */
export function identifierOf(o: SimOrder): OrderIdentifier {
  if (o.identifier === undefined) {
    const decision = o.quoteOf;
    if (decision === undefined) throw new Error('a simulated order without an identifier has no decision');
    o.identifier = orderIdentifier(decision.id, o.leg);
  }
  return o.identifier;
}

/** Why the order exists (it ends up on every fill), made once on first read for a quote layer. */
export function reasonOf(o: SimOrder): string {
  if (o.reason === undefined) {
    const decision = o.quoteOf;
    if (decision === undefined) throw new Error('a simulated order without a reason has no decision');
    o.reason = layerReason(decision, sideOf(o.spec), o.leg ?? 0);
  }
  return o.reason;
}

/**
 * The reason text of level `leg` on `side` of a quotes decision ({@link reasonOf} of a layer placed
 * without its texts): for a fill that makes it later than its order lives (SimFill).
 */
export function layerReason(decision: Decision, side: OrderSide, leg: number): string {
  return quoteOrderReason(side, leg, reasonOfDecision(decision));
}

// The reason text of the last decision asked: a bar's fills usually come from one decision's layers.
let lastDecision: Decision | undefined;
let lastReason = '';

function reasonOfDecision(decision: Decision): string {
  if (decision !== lastDecision) {
    lastReason = soleReason(decision) ?? decisionReason(decision);
    lastDecision = decision;
  }
  return lastReason;
}

/**
 * The order plan's reason text of a decision with one signal, its own strategy's, outside the
 * ensemble (market making's quotes decision, quotesDecisionOf): that signal's reason, which is
 * what `decisionReason` gives (a one-element `join` is its element) without the filtered and
 * mapped lists and without `join` copying the text (the trade record copies it anyway).
 * Undefined for any other decision (the plan's function decides).
 */
export function soleReason(decision: Decision): string | undefined {
  const only = soleSignal(decision);
  if (only === undefined) return undefined;
  const reason = only.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * The {@link QuoteReason} whose text is {@link soleReason}'s (market making's ladder decision
 * carries it as its one contribution), found without reading the text; undefined for any other
 * decision. A fill's reason text is then `quoteOrderReason(side, leg, quoteReason.reason)`.
 */
export function soleQuoteReason(decision: Decision): QuoteReason | undefined {
  const only = soleSignal(decision);
  return only instanceof QuoteReason ? only : undefined;
}

/** The decision's one contribution when it is its own strategy's, outside the ensemble. */
function soleSignal(decision: Decision): Decision['signals'][number] | undefined {
  const signals = decision.signals;
  if (signals.length !== 1 || decision.source === 'ensemble') return undefined;
  const only = signals[0] as Decision['signals'][number];
  return only.strategy === decision.strategy ? only : undefined;
}

/** Side of an order spec. */
export function sideOf(spec: SimOrderSpec): OrderSide {
  if (spec.kind === 'limit') return spec.side;
  return spec.kind === 'market_buy' ? 'bid' : 'ask';
}
