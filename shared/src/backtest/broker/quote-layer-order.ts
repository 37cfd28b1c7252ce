import type { Market } from '../../domain/market/market-id';
import { decimalOfUnits, unitsOf } from '../../domain/money/decimal-units';
import { type Krw, type Price, VOLUME_DECIMALS, type Volume } from '../../domain/money/quantities';
import type { DecisionId, OrderIdentifier } from '../../domain/orders/identifiers';
import type { OrderSide } from '../../domain/orders/order-types';
import type { Commitment } from '../../domain/risk/exposure';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { type SimOrder, type SimOrderSpec, sideOf } from './sim-order';

/**
 * A quote layer placed from the ladder path's integer facts (QuoteAdmission.placeQuoteLadder): its
 * price in whole won and its volume in 1e-8 units, with its spec's decimals and its remaining
 * volume's made on first read — `decimalOfUnits(won, 0)` and `decimalOfUnits(units, 8)`, the very
 * decimals toQuoteLevels builds a whole-won level from. Most layers live one bar without a fill and
 * are read only through these numbers (the crossing test at the open, the resting-fill estimate,
 * the funds check of later asks, the ladder's books); a fill, a commitment or anything else that
 * reads `spec` or `remaining` gets the decimals an eagerly placed layer holds.
 */
export class QuoteLayerOrder implements SimOrder {
  identifier: OrderIdentifier | undefined = undefined;
  reason: string | undefined = undefined;
  commitment: Commitment | undefined = undefined;
  /** The remaining volume in 1e-8 units while it is the placed volume (undefined once it changed). */
  declare units: number | undefined;
  /** The placed volume in 1e-8 units. */
  declare private placed: number;
  #spec: Extract<SimOrderSpec, { kind: 'limit' }> | undefined = undefined;
  #remaining: Volume | undefined = undefined;
  declare market: Market;
  declare strategy: StrategyName;
  declare quoteOf: Decision;
  declare leg: number;
  declare side: OrderSide;
  /** The price in won (a whole number: `numberOf(spec.price)` exactly). */
  declare won: number;
  declare placedAt: EpochMs;
  declare lockedKrw: Krw;
  /**
   * `SimOrder.lazyLock` (0: none). Defined holding a double (NaN, overwritten by every `place`), so
   * the field holds doubles from the first layer on, whichever side that layer was.
   */
  lazyLock = Number.NaN;

  /**
   * Layers are made only through {@link QuoteLayerOrder.place}. The constructor writes every
   * field, in `place`'s order, so a new layer has its final layout from the start: when `place`
   * added the declared fields to a new object, its stores met two layouts (a reused layer's and
   * the new one's transitions) and the compiled placement (placeKnown) tested the layout again
   * before each store of every layer.
   */
  private constructor(
    units: number,
    market: Market,
    strategy: StrategyName,
    quoteOf: Decision,
    leg: number,
    side: OrderSide,
    won: number,
    placedAt: EpochMs,
    lockedKrw: Krw,
    lazyLock: number,
  ) {
    this.units = units;
    this.placed = units;
    this.market = market;
    this.strategy = strategy;
    this.quoteOf = quoteOf;
    this.leg = leg;
    this.side = side;
    this.won = won;
    this.placedAt = placedAt;
    this.lockedKrw = lockedKrw;
    this.lazyLock = lazyLock;
  }

  /**
   * The layer placed at `won` for `units`: `ended`, a layer whose order ended (its bar ran or its
   * market was cancelled: the broker keeps those for reuse, see OrderAdmission.endedLayers),
   * rewritten with its cached texts and decimals dropped, or a new one when there is none.
   */
  static place(
    ended: QuoteLayerOrder | undefined,
    market: Market,
    strategy: StrategyName,
    quoteOf: Decision,
    leg: number,
    side: OrderSide,
    won: number,
    units: number,
    placedAt: EpochMs,
    lockedKrw: Krw,
    lazyLock: number,
  ): QuoteLayerOrder {
    if (ended === undefined)
      return new QuoteLayerOrder(
        units,
        market,
        strategy,
        quoteOf,
        leg,
        side,
        won,
        placedAt,
        lockedKrw,
        lazyLock,
      );
    const o = ended;
    o.identifier = undefined;
    o.reason = undefined;
    o.commitment = undefined;
    o.#spec = undefined;
    o.#remaining = undefined;
    o.units = units;
    o.placed = units;
    o.market = market;
    o.strategy = strategy;
    o.quoteOf = quoteOf;
    o.leg = leg;
    o.side = side;
    o.won = won;
    o.placedAt = placedAt;
    o.lockedKrw = lockedKrw;
    o.lazyLock = lazyLock;
    return o;
  }

  /**
   * The decision's id, read from the decision when asked (a commitment, a fill's cooldown stamp),
   * not stored per layer: the id is a new text every bar, and storing it into a reused layer (an
   * old object) paid the write barrier's slow path for every layer of every ladder.
   */
  get decisionId(): DecisionId {
    return this.quoteOf.id;
  }

  /** The post-only limit spec a placed level has (`placeQuote`'s), made on first read. */
  get spec(): Extract<SimOrderSpec, { kind: 'limit' }> {
    this.#spec ??= {
      kind: 'limit',
      side: this.side,
      price: decimalOfUnits(this.won, 0) as Price,
      volume: decimalOfUnits(this.placed, VOLUME_DECIMALS) as Volume,
      postOnly: true,
    };
    return this.#spec;
  }

  /**
   * Volume still to fill: the spec's volume until a fill changes it (as an eager layer's), then
   * the decimal of its units (after {@link fillUnits}) or the decimal a fill set.
   */
  get remaining(): Volume {
    if (this.#remaining === undefined) {
      const units = this.units;
      this.#remaining =
        units === undefined || units === this.placed
          ? this.spec.volume
          : (decimalOfUnits(units, VOLUME_DECIMALS) as Volume);
    }
    return this.#remaining;
  }

  set remaining(v: Volume) {
    this.#remaining = v;
    this.units = undefined;
  }

  /**
   * A fill of `filled` 1e-8 units while the remainder is known in units: `remaining` becomes
   * max(0, units − filled) (the eager `max(0, remaining − volume)`, exact on the 8-decimal grid),
   * its decimal made only if read.
   */
  fillUnits(filled: number): void {
    const units = this.units as number;
    this.units = units > filled ? units - filled : 0;
    this.#remaining = undefined;
  }
}

/** `sideOf(o.spec)` without making a quote layer's decimals. */
export function orderSide(o: SimOrder): OrderSide {
  return o instanceof QuoteLayerOrder ? o.side : sideOf(o.spec);
}

/** `unitsOf(o.remaining, 8)` without making a quote layer's decimals while its units are known. */
export function remainingUnits(o: SimOrder): number | undefined {
  if (o instanceof QuoteLayerOrder && o.units !== undefined) return o.units;
  return unitsOf(o.remaining, 8);
}
