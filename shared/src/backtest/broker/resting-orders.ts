import { ZERO } from '../../domain/money/decimal';
import { compareDecimals, decimalGt } from '../../domain/money/decimal-compare';
import { numberOf } from '../../domain/money/decimal-units';
import type { Price, Volume } from '../../domain/money/quantities';
import type { OrderSide } from '../../domain/orders/order-types';
import type { QuoteLayerOrder } from './quote-layer-order';

/** A resting (non-crossing) limit order of one bar, as the fill estimators see it. */
export interface RestingOrder {
  /** Placement order within the bar: earlier orders of ours queue ahead of later ones. */
  readonly index: number;
  readonly side: OrderSide;
  readonly price: Price;
  readonly remaining: Volume;
}

/**
 * A resting order with the numbers the candle estimate reads: `numberOf` of its price and its
 * remaining volume, whether that price double is the price exactly (a quote layer's whole won:
 * prices are then ordered on the doubles), and whether anything remains.
 */
export interface RestingNumbers extends RestingOrder {
  readonly priceNumber: number;
  readonly exactPrice: boolean;
  readonly remainingNumber: number;
  readonly open: boolean;
  /**
   * The remaining volume in 1e-8 units when the order holds it as an integer (a quote layer placed
   * as integers, QuoteLayerOrder.units): its fills are then computed on integers too.
   */
  readonly units: number | undefined;
}

/**
 * A pooled {@link RestingNumbers}, rewritten for every bar (see {@link RestingOrders}). A quote layer
 * placed as integers (QuoteLayerOrder) rests as its numbers, its decimals read through it only when
 * it fills or its price ties another's.
 */
class RestingSlot implements RestingNumbers {
  index = 0;
  side: OrderSide = 'bid';
  priceNumber = 0;
  exactPrice = false;
  remainingNumber = 0;
  open = false;
  units: number | undefined = undefined;
  layer: QuoteLayerOrder | undefined = undefined;
  exactPriceDecimal: Price = ZERO as Price;
  remainingDecimal: Volume = ZERO as Volume;

  get price(): Price {
    return this.layer !== undefined ? this.layer.spec.price : this.exactPriceDecimal;
  }

  get remaining(): Volume {
    return this.layer !== undefined ? this.layer.remaining : this.remainingDecimal;
  }
}

/**
 * One bar's resting orders for the fill estimators, in slots reused from bar to bar: market making
 * rests several orders every bar, and the estimators read them only during the call.
 */
export class RestingOrders {
  private readonly slots: RestingSlot[] = [];
  private readonly list: RestingSlot[] = [];
  private count = 0;

  /** Adds an order (see RestingOrder's fields). */
  add(index: number, side: OrderSide, price: Price, remaining: Volume): void {
    const slot = this.next(index, side);
    slot.layer = undefined;
    slot.exactPriceDecimal = price;
    slot.remainingDecimal = remaining;
    // numberOf is toNumber() without the trip through text (the same double).
    slot.priceNumber = numberOf(price);
    slot.exactPrice = false;
    slot.remainingNumber = numberOf(remaining);
    slot.open = decimalGt(remaining, ZERO);
    slot.units = undefined;
  }

  /**
   * Adds a quote layer placed as integers, by its numbers while its remaining units are known: its
   * won is `numberOf(price)` exactly, and `units / 1e8` is `numberOf(remaining)` (both the double
   * nearest the same exact value).
   */
  addLayer(index: number, o: QuoteLayerOrder): void {
    const units = o.units;
    if (units === undefined) {
      this.add(index, o.side, o.spec.price, o.remaining);
      return;
    }
    const slot = this.next(index, o.side);
    slot.layer = o;
    slot.priceNumber = o.won;
    slot.exactPrice = true;
    slot.remainingNumber = units / 1e8;
    slot.open = units > 0;
    slot.units = units;
  }

  private next(index: number, side: OrderSide): RestingSlot {
    let slot = this.slots[this.count];
    if (slot === undefined) {
      slot = new RestingSlot();
      this.slots.push(slot);
    }
    slot.index = index;
    slot.side = side;
    this.list[this.count] = slot;
    this.count += 1;
    return slot;
  }

  /** How many orders were added since {@link clear}. */
  get size(): number {
    return this.count;
  }

  /** The orders added since {@link clear}, in order: valid until the next add or clear. */
  orders(): readonly RestingNumbers[] {
    if (this.list.length !== this.count) this.list.length = this.count;
    return this.list;
  }

  /** Starts the next bar (and lets go of the last bar's layers). */
  clear(): void {
    for (let i = 0; i < this.count; i++) (this.slots[i] as RestingSlot).layer = undefined;
    this.count = 0;
  }
}

/** How much of one resting order filled in the bar; the list comes in fill order. */
export interface RestingFill {
  readonly index: number;
  readonly volume: Volume;
  /** `volume` in 1e-8 units, when the fill was computed on integers (see RestingNumbers.units). */
  readonly units: number | undefined;
}

/** Bids before asks (a print hits one side only), best price first, then earlier placement. */
export function byPriority(a: RestingOrder, b: RestingOrder): number {
  if (a.side !== b.side) return a.side === 'bid' ? -1 : 1;
  const cmp = compareDecimals(a.price, b.price);
  if (cmp !== 0) return a.side === 'bid' ? -cmp : cmp;
  return a.index - b.index;
}
