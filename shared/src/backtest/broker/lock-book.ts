import type { MarketRules } from '../../domain/market/market-rules';
import { ZERO } from '../../domain/money/decimal';
import { differenceOf, sumOf } from '../../domain/money/decimal-sums';
import { approximately, numberOf } from '../../domain/money/decimal-units';
import { type Krw, krw, type Price, type Volume } from '../../domain/money/quantities';
import { limitLock } from '../../domain/orders/limit-facts';
import type { SimOrder } from './sim-order';

/**
 * The KRW the broker's open bids lock, exact, with the locks of limit bids built only when read.
 * A limit bid whose lock surely fits under the cash (on doubles, with a margin of 1e-9 of the
 * amounts: each double is within a few ulps of its decimal) is accepted with its lock as a double
 * (`SimOrder.lazyLock`, `lockedKrw` zero meanwhile); the exact decimal (`limitLock`, the very value
 * the eager path computes) is built when anything reads it — the risk engine's commitments, or a
 * funds check too close to call on doubles. Market making's layers usually live one bar with
 * nobody reading their locks (a one-market run reads commitments only while none is open), so
 * their product and fee decimals and the two exact sums per layer are never made. The exact total
 * is the same whatever the order of its exact additions.
 */
export class LockBook {
  private exact: Krw = krw(ZERO);
  private readonly lazy: SimOrder[] = [];
  /**
   * `lazy[i].lazyLock` for each i, in the same placement order: surelyFits sums these doubles, in
   * that order, from one array of doubles instead of reading a field of each order (plain orders
   * and quote layers are two object shapes).
   */
  private readonly lazyLocks: number[] = [];
  private readonly fee: number;

  constructor(private readonly rules: MarketRules) {
    this.fee = approximately(rules.takerFee);
  }

  /** A limit bid's lock as a double (total × (1 + taker fee)), within a few ulps. */
  approxLock(price: Price, volume: Volume): number {
    return this.approxLockOf(numberOf(price), numberOf(volume));
  }

  /** {@link approxLock} from `numberOf(price)` and `numberOf(volume)` the caller already holds. */
  approxLockOf(price: number, volume: number): number {
    return price * volume * (1 + this.fee);
  }

  /** True when every open lock plus `lock` is surely at most `cash`. */
  surelyFits(lock: number, cash: Krw): boolean {
    if (!(lock > 0 && lock < 1e250)) return false;
    return this.surelyFitsOn(lock, this.approximately(this.exact), this.approximately(cash));
  }

  /**
   * {@link surelyFits} on doubles the caller read once for a whole ladder: `exact`, the
   * {@link exactNumber} of the exact total, and `cash`, `approximately` of the cash. Neither changes
   * while layers join lazily (only an exact lock, a built one or a fill does), so a ladder's bids
   * need not convert (or look up) the same two decimals again for every layer; the sum is the same
   * doubles added in the same order.
   */
  surelyFitsOn(lock: number, exact: number, cash: number): boolean {
    if (!(lock > 0 && lock < 1e250)) return false;
    let sum = exact + lock;
    const locks = this.lazyLocks;
    for (let i = 0; i < locks.length; i++) sum += locks[i] as number;
    return cash - sum > 1e-9 * (Math.abs(cash) + sum);
  }

  /** `approximately` of the exact total of the built locks (see surelyFitsOn). */
  exactNumber(): number {
    return this.approximately(this.exact);
  }

  /** `approximately(cash)`, remembered as for surelyFits (see surelyFitsOn). */
  cashNumber(cash: Krw): number {
    return this.approximately(cash);
  }

  // `approximately` of the last two decimals asked (the exact total and the cash, each the same
  // object from one layer of a ladder to the next until a lock is built or a fill settles): the
  // same doubles, converted once instead of twice per bid layer.
  private readonly memoDecimals: (Krw | undefined)[] = [undefined, undefined];
  private readonly memoNumbers: number[] = [0, 0];
  private memoNext = 0;

  private approximately(x: Krw): number {
    const d = this.memoDecimals;
    if (d[0] === x) return this.memoNumbers[0] as number;
    if (d[1] === x) return this.memoNumbers[1] as number;
    const n = approximately(x);
    const i = this.memoNext;
    d[i] = x;
    this.memoNumbers[i] = n;
    this.memoNext = 1 - i;
    return n;
  }

  /** The exact total of every open lock (building the lazy ones). */
  total(): Krw {
    while (this.lazy.length > 0) this.materialise(this.lazy[this.lazy.length - 1] as SimOrder);
    return this.exact;
  }

  /** Adds an exact lock. */
  add(lock: Krw): void {
    if (!lock.isZero()) this.exact = krw(sumOf(this.exact, lock));
  }

  /**
   * Records a lazily accepted limit bid (its `lazyLock` set to `lock`). The lock comes from the
   * caller's own double rather than `o.lazyLock`: plain orders and quote layers hold it in fields
   * of two shapes, and that polymorphic read left the push into the double array to V8's generic
   * `push` call inside the broker's ladder placement for the rest of a run.
   */
  addLazy(o: SimOrder, lock: number): void {
    this.lazy.push(o);
    this.lazyLocks.push(lock);
  }

  /** Builds an order's lazy lock into `lockedKrw` and the exact total. */
  materialise(o: SimOrder): void {
    if (!(o.lazyLock > 0) || o.spec.kind !== 'limit') return;
    this.forget(o);
    o.lockedKrw = limitLock(o.spec.price, o.spec.volume, this.rules);
    this.exact = krw(sumOf(this.exact, o.lockedKrw));
  }

  /** Releases an order's lock (lazy or built); the order then locks nothing. */
  release(o: SimOrder): void {
    if (o.lazyLock > 0) {
      this.forget(o);
      o.commitment = undefined;
      return;
    }
    // An ask locks no KRW: nothing to subtract (the same value, without a new decimal).
    if (o.lockedKrw.isZero()) return;
    this.exact = krw(differenceOf(this.exact, o.lockedKrw));
    o.lockedKrw = krw(ZERO);
    o.commitment = undefined;
  }

  /**
   * {@link release} of each of `orders` (a market's list, ended at once), in their order. A bar
   * ends a market's orders in placement order, and that market's lazily locked bids sit together
   * in the lazy list in that same order (the first ones, while only one market has orders open):
   * they are found once and dropped together, instead of a search and two shifts per bid. Any
   * other order, or a lazy one found elsewhere, goes through `release` itself (after the block
   * matched so far is dropped, so its search sees the list as `release` alone would).
   */
  releaseAll(orders: readonly SimOrder[]): void {
    const lazy = this.lazy;
    let start = -1;
    let count = 0;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i] as SimOrder;
      if (o.lazyLock > 0) {
        if (start < 0) start = lazy.indexOf(o);
        if (start >= 0 && lazy[start + count] === o) {
          count += 1;
          o.lazyLock = 0;
          o.commitment = undefined;
          continue;
        }
      }
      if (count > 0) this.drop(start, count);
      start = -1;
      count = 0;
      this.release(o);
    }
    if (count > 0) this.drop(start, count);
  }

  /** Drops `count` entries of the lazy list (and their doubles) from `start`. */
  private drop(start: number, count: number): void {
    const lazy = this.lazy;
    const locks = this.lazyLocks;
    if (start === 0 && count === lazy.length) {
      // Popped, not cut by `length = 0`, which gives up the backing store (see PendingOrders.recycle).
      for (let k = 0; k < count; k++) {
        lazy.pop();
        locks.pop();
      }
    } else {
      lazy.splice(start, count);
      locks.splice(start, count);
    }
  }

  private forget(o: SimOrder): void {
    const lazy = this.lazy;
    const i = lazy.indexOf(o);
    // A bar releases its orders in placement order: the first is the common case, and shift() does
    // not allocate the removed items' array as splice() does.
    if (i === 0) {
      lazy.shift();
      this.lazyLocks.shift();
    } else if (i > 0) {
      lazy.splice(i, 1);
      this.lazyLocks.splice(i, 1);
    }
    o.lazyLock = 0;
  }
}
