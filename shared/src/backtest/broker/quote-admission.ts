import type { QuoteLayerFacts } from '../../domain/ensemble/decision-pipeline';
import type { QuoteColumns } from '../../domain/ensemble/quote-levels';
import type { Market } from '../../domain/market/market-id';
import { ZERO } from '../../domain/money/decimal';
import { decimalOfUnits, unitsOf } from '../../domain/money/decimal-units';
import { type Krw, krw, type Price, VOLUME_DECIMALS, type Volume } from '../../domain/money/quantities';
import { ACCEPTED, type ValidationResult } from '../../domain/orders/order-rejection';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision, QuoteLevel } from '../../domain/trading/decision';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { OrderAdmission } from './order-admission';
import { orderSide, QuoteLayerOrder, remainingUnits } from './quote-layer-order';
import type { SimOrder } from './sim-order';
import { UnofferedAfterAsk } from './unoffered';

const NO_ORDERS: readonly SimOrder[] = Object.freeze([]);
// A layer placed as integers locks nothing exactly (its lock is lazy): one shared zero.
const NO_LOCK: Krw = krw(ZERO);

/**
 * Quote layers the ladder path holds as integers (whole won, 1e-8 units), placed with the same
 * verdicts and books as `placeQuote` places their decimals, as QuoteLayerOrder objects reused from
 * bar to bar: a whole ladder in one call (placeQuoteLadder, the engine's path), which reads
 * what stays the same across the ladder once, or one layer at a time (placeQuoteUnits: the
 * per-level form the broker tests place with and compare the ladder against).
 */
export abstract class QuoteAdmission extends OrderAdmission {
  /** The unoffered units left after the last ask layer placed as integers (see unofferedUnits). */
  private readonly unoffered = new UnofferedAfterAsk();

  /**
   * {@link placeQuote} for a level the ladder path holds as integers — price `won` (whole won),
   * volume `units` (1e-8 units) — with its facts: the same verdict and books, without the level's
   * decimals while nothing reads them (QuoteLayerOrder). A bid whose lock surely fits and an ask
   * the strategy surely holds unoffered join as such a layer; anything else (facts for other rules
   * or another instant, a funds check too close or failing) is placed by `placeQuote` with the
   * level's decimals, as the eager path does.
   */
  placeQuoteUnits(
    decision: Decision,
    leg: number,
    side: QuoteLevel['side'],
    won: number,
    units: number,
    at: EpochMs,
    facts: QuoteLayerFacts,
  ): ValidationResult {
    const known = facts.rules === this.rules && facts.at === at;
    if (!known) return this.placeQuote(decision, leg, levelOfUnits(side, won, units), at, facts);
    const exact = side === 'bid' ? this.locks.exactNumber() : 0;
    const cash = side === 'bid' ? this.locks.cashNumber(this.cashKrw) : 0;
    return (
      this.placeKnown(decision, leg, side, won, units, at, facts, exact, cash) ??
      this.placeQuote(decision, leg, levelOfUnits(side, won, units), at, facts)
    );
  }

  /**
   * {@link placeQuoteUnits} of every level of `columns` (bids first: level i is a bid while
   * i < columns.bids), in leg order: the same verdicts and books as those calls one by one, the
   * exact lock total's and the cash's doubles read once for the ladder (again only after a level
   * went through `placeQuote`, which may build locks). Undefined when every level was accepted
   * (most ladders), otherwise every level's verdict.
   */
  placeQuoteLadder(
    decision: Decision,
    columns: QuoteColumns,
    at: EpochMs,
    facts: QuoteLayerFacts,
  ): ValidationResult[] | undefined {
    const count = columns.count;
    const known = facts.rules === this.rules && facts.at === at;
    let out: ValidationResult[] | undefined;
    // The lock book's doubles (see placeKnown), read at the first level and after any placeQuote.
    let read = false;
    let exact = 0;
    let cash = 0;
    for (let leg = 0; leg < count; leg++) {
      const side = leg < columns.bids ? 'bid' : 'ask';
      const won = columns.won[leg] as number;
      const units = columns.units[leg] as number;
      let result: ValidationResult | undefined;
      if (known) {
        if (!read) {
          exact = this.locks.exactNumber();
          cash = this.locks.cashNumber(this.cashKrw);
          read = true;
        }
        result = this.placeKnown(decision, leg, side, won, units, at, facts, exact, cash);
      }
      // One call site for the decimal path (facts for other rules, or funds not surely enough):
      // one copy of placeQuote's graph if TurboFan inlines it here.
      if (result === undefined) {
        result = this.placeQuote(decision, leg, levelOfUnits(side, won, units), at, facts);
        // placeQuote may have built or added exact locks: read the doubles again.
        read = false;
      }
      if (!result.ok) {
        out ??= new Array<ValidationResult>(count).fill(ACCEPTED);
        out[leg] = result;
      }
    }
    return out;
  }

  /**
   * A level with facts for these rules and this instant joined as a layer when its funds surely
   * suffice (see placeQuoteUnits): ACCEPTED, or undefined when `placeQuote` must decide.
   * `exact` and `cash` are the lock book's doubles of the exact total and the cash (surelyFitsOn).
   */
  private placeKnown(
    decision: Decision,
    leg: number,
    side: QuoteLevel['side'],
    won: number,
    units: number,
    at: EpochMs,
    facts: QuoteLayerFacts,
    exact: number,
    cash: number,
  ): ValidationResult | undefined {
    const market = decision.market;
    const locks = this.locks;
    const bid = side === 'bid';
    // A bid's lock: approxLock's own product of the levels' doubles (placeQuote's `knownLock`); an
    // ask's unoffered units. Plain doubles, 0 for the other side (a `number | undefined` local was
    // a heap number allocated per bid layer in the compiled code).
    let lazyLock = 0;
    let free = 0;
    if (bid) {
      lazyLock = locks.approxLockOf(facts.prices[leg] as number, facts.volumes[leg] as number);
      if (!locks.surelyFitsOn(lazyLock, exact, cash)) return undefined;
    } else {
      const unoffered = this.unofferedUnits(market, decision.strategy);
      if (unoffered === undefined || units > Math.max(0, unoffered)) return undefined;
      free = unoffered;
    }
    this.commitmentList = undefined;
    this.bookVersion += 1;
    // This ask's units leave the strategy's unoffered holding: the next ask layer of the ladder
    // starts from here while nothing else changed the book (see unofferedUnits).
    if (!bid) this.unoffered.set(market, decision.strategy, this.bookVersion, free - units);
    const order = QuoteLayerOrder.place(
      this.endedLayers.pop(),
      market,
      decision.strategy as StrategyName,
      decision,
      leg,
      side,
      won,
      units,
      at,
      NO_LOCK,
      lazyLock,
    );
    if (bid) locks.addLazy(order, lazyLock);
    this.pending.add(market, order);
    return ACCEPTED;
  }

  /**
   * What `strategy` holds in `market` and has not offered yet, in 1e-8 units: its position's units
   * less the remaining units of each of its open asks there, as `exceedsUnoffered`'s integer branch
   * computes it (`units > max(0, free)` is its verdict), or undefined when that branch would not
   * decide (the decimal path then does). The running difference only decreases, so a result at or
   * above −(2^53 − 1) means every step was exact. Right after an ask layer placed here, while the
   * book's version is unchanged, it is the last result less that layer's units: the same integers
   * without walking the market's orders again for every ask of a ladder.
   */
  private unofferedUnits(market: Market, strategy: Decision['strategy']): number | undefined {
    const kept = this.unoffered.get(market, strategy, this.bookVersion);
    if (kept !== undefined) return kept >= -Number.MAX_SAFE_INTEGER ? kept : undefined;
    // No position holds nothing: 0 units, as unitsOf gives for the empty position's zero volume,
    // without making that empty position every ladder of a flat strategy.
    const position = this.findPosition(market, strategy);
    let free = position === undefined ? 0 : unitsOf(position.volume, 8);
    const orders = this.pending.get(market) ?? NO_ORDERS;
    for (let i = 0; free !== undefined && i < orders.length; i++) {
      const o = orders[i] as SimOrder;
      if (o.strategy !== strategy || orderSide(o) !== 'ask') continue;
      const u = remainingUnits(o);
      free = u === undefined ? undefined : free - u;
    }
    return free !== undefined && free >= -Number.MAX_SAFE_INTEGER ? free : undefined;
  }
}

/** The level `placeQuoteUnits` stands for, as decimals (toQuoteLevels' whole-won level). */
function levelOfUnits(side: QuoteLevel['side'], won: number, units: number): QuoteLevel {
  return {
    side,
    price: decimalOfUnits(won, 0) as Price,
    volume: decimalOfUnits(units, VOLUME_DECIMALS) as Volume,
  };
}
