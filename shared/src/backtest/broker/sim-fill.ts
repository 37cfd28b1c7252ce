import { numberOf } from '../../domain/money/decimal-units';
import type { Krw } from '../../domain/money/quantities';
import type { DecisionId } from '../../domain/orders/identifiers';
import type { OrderSide } from '../../domain/orders/order-types';
import type { QuoteReason } from '../../domain/strategies/market-making/quote-reason';
import type { Decision } from '../../domain/trading/decision';
import type { Fill } from '../../domain/trading/fill';
import type { FillReason } from '../result/quote-reasons';
import type { FillUnits } from '../result/trade-store';
import { orderSide } from './quote-layer-order';
import { layerReason, type SimOrder, soleQuoteReason } from './sim-order';

/**
 * One simulated execution with its realised PnL (net of both legs' fees) and the order's reason
 * (text made on first read, or kept as its parts by the trade list: FillReason, SimFill).
 */
export interface BrokerFill extends FillReason, FillUnits {
  readonly fill: Fill;
  readonly realizedPnl: Krw;
  readonly reason: string;
  /**
   * `parseOrderIdentifier(fill.identifier)?.decisionId`: the decision whose cooldown stamp a fill
   * settles, known without matching the identifier's pattern for a quote layer (its identifier is
   * `orderIdentifier(decision.id, leg)`, which parses back to that very id).
   */
  readonly decisionId: DecisionId | undefined;
  /**
   * `numberOf(realizedPnl)`, converted once: a sell's realised PnL (up to 20 decimals, the long
   * conversion) is read as a double by the edges' gate and by the trade tally of the same fill.
   */
  readonly realizedNumber: number;
}

/**
 * One simulated execution as the broker hands it on (BrokerFill), its reason text made on first
 * read. A quote layer placed without its texts (QuoteLayerOrder) gets its reason from its decision
 * when a fill needs it; the backtest's trade list does not read it for market making's ladder
 * layers, whose text is `quoteOrderReason(side, leg, quoteReason.reason)`: it keeps those parts
 * (FillReason) and makes the text when the result is read, and a score-only run never reads it.
 * Before, a year of market making made ~150,000 texts of ~100 two-byte characters and UTF-8
 * encoded each into the trade list, for a list read once at the end if at all. A layer's fill also
 * hands on the integers its price, volume and fee decimals were built from (FillUnits), which the
 * trade list keeps instead of the decimals' words.
 *
 * The parts are taken from the order when the fill is made (layers are reused once their bar
 * ended): the decision (immutable, as the lazy layer's text already assumed), the side and the leg.
 */
export class SimFill implements BrokerFill {
  readonly quoteReason: QuoteReason | undefined;
  readonly reasonSide: OrderSide;
  readonly reasonLeg: number;
  // FillUnits: NaN until setUnits (a quote layer's fill computed on integers).
  priceWon = Number.NaN;
  volumeUnits = Number.NaN;
  feeUnits = Number.NaN;
  feeScale = Number.NaN;
  #text: string | undefined;
  /** realizedNumber once read; NaN before (a NaN PnL, never made, would be converted at each read). */
  #realizedNumber = Number.NaN;
  readonly #decision: Decision | undefined;

  constructor(
    readonly fill: Fill,
    readonly realizedPnl: Krw,
    readonly decisionId: DecisionId | undefined,
    o: SimOrder,
  ) {
    const text = o.reason;
    const decision = text === undefined ? o.quoteOf : undefined;
    this.#text = text;
    this.#decision = decision;
    this.reasonSide = decision === undefined ? fill.side : orderSide(o);
    this.reasonLeg = decision === undefined ? 0 : (o.leg ?? 0);
    this.quoteReason = decision === undefined ? undefined : soleQuoteReason(decision);
    if (text === undefined && decision === undefined)
      throw new Error('a simulated order without a reason has no decision');
  }

  /**
   * The integers the fill's price, volume and fee decimals were built from (see FillUnits): the
   * layer's whole won, the fill's 1e-8 volume units, and the fee's units at `feeScale` (NaN when
   * its fee was not computed so).
   */
  setUnits(priceWon: number, volumeUnits: number, feeUnits: number, feeScale: number): void {
    this.priceWon = priceWon;
    this.volumeUnits = volumeUnits;
    this.feeUnits = feeUnits;
    this.feeScale = feeScale;
  }

  /** `numberOf(realizedPnl)`, the same double, converted on first read. */
  get realizedNumber(): number {
    let n = this.#realizedNumber;
    if (Number.isNaN(n)) {
      n = numberOf(this.realizedPnl);
      this.#realizedNumber = n;
    }
    return n;
  }

  /** Why the order exists: `reasonOf(order)` at the fill, the same text. */
  get reason(): string {
    this.#text ??= layerReason(this.#decision as Decision, this.reasonSide, this.reasonLeg);
    return this.#text;
  }

  /** The object literal a fill was before (the same keys in the same order, the reason's text). */
  toJSON(): { fill: Fill; realizedPnl: Krw; reason: string; decisionId: DecisionId | undefined } {
    return {
      fill: this.fill,
      realizedPnl: this.realizedPnl,
      reason: this.reason,
      decisionId: this.decisionId,
    };
  }
}
