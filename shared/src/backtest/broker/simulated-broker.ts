import type { Candle } from '../../domain/market/market-data';
import { feeFor, type MarketRules } from '../../domain/market/market-rules';
import { spreadAroundNumber } from '../../domain/market/tick-rounding';
import { type Decimal, maxDecimal, minDecimal, ZERO } from '../../domain/money/decimal';
import { decimalGt, decimalGte, decimalLte } from '../../domain/money/decimal-compare';
import { differenceOf } from '../../domain/money/decimal-sums';
import { sumOfThree } from '../../domain/money/decimal-three-sums';
import { decimalOfUnits, numberOf, productOf } from '../../domain/money/decimal-units';
import {
  type Krw,
  krw,
  type Price,
  VOLUME_DECIMALS,
  type Volume,
  volume,
  volumeForBudget,
} from '../../domain/money/quantities';
import { parseOrderIdentifier } from '../../domain/orders/identifiers';
import { applyValuedFill, emptyPosition } from '../../domain/risk/position-accounting';
import type { EpochMs } from '../../domain/time/epoch';
import type { Fill } from '../../domain/trading/fill';
import { quotesAround, type SyntheticQuotes } from '../engine/synthetic-book';
import { TickContexts } from '../engine/tick-contexts';
import { FeeRate } from './fee-rate';
import { drawSlippageBps, takerBuyPrice, takerSellPrice } from './fill-prices';
import { QuoteAdmission } from './quote-admission';
import { QuoteLayerOrder } from './quote-layer-order';
import { fillsFromBar } from './resting-fills';
import { RestingOrders } from './resting-orders';
import { type BrokerFill, SimFill } from './sim-fill';
import { identifierOf, type SimOrder, type SimOrderSpec } from './sim-order';
import { type BarTape, fillsFromTape, tapeCoversBar } from './tape-fills';
import { openBracketFloor, untouchedAroundOpen, untouchedLayers } from './untouched-layers';

export type { BrokerFill } from './sim-fill';

/** An order that ended without filling for a reason worth counting (e.g. post-only would cross). */
export interface BrokerRejection {
  readonly identifier: string;
  readonly code: string;
}

/** What one bar did to a market's waiting orders. */
export interface BarOutcome {
  readonly fills: readonly BrokerFill[];
  readonly rejections: readonly BrokerRejection[];
}

// Most bars meet no waiting order: one shared, empty outcome instead of two arrays per bar.
const NOTHING_HAPPENED: BarOutcome = Object.freeze({
  fills: Object.freeze([]) as readonly BrokerFill[],
  rejections: Object.freeze([]) as readonly BrokerRejection[],
});

/** `list` with `item` appended, or a new list of it: fill lists are made only for bars that fill. */
function appended<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
}

/**
 * A spot broker with Upbit's rules and exact decimal books (cash, locks, positions, fees), driven by
 * closed bars. Fill model (stated in every report):
 * - Latency: an order placed at a bar's close reaches the venue at the next bar of its market and
 *   lives for that one bar; whatever is unfilled at the bar's end is cancelled (the engine decides
 *   again every bar, like the live one-minute cycle).
 * - Arrival at the open: market orders and limit orders that cross the synthetic book at the open
 *   fill in full as takers at the spread plus seeded slippage (a crossing limit never pays past its
 *   limit); post-only orders that would cross are rejected, as Upbit rejects them.
 * - Resting limit orders fill as makers at their own price, only from volume that traded strictly
 *   beyond it (below a bid, above an ask), at the back of the queue: from the bar's recorded public
 *   trades when the run has a tape (volume at our price first goes to the queue ahead, read from the
 *   recorded book when there is one), otherwise from the candle's estimated volume profile along an
 *   assumed path (bar-path.ts). Fills may be partial (floored to 8 decimals); our orders on one side
 *   share the volume, best price first.
 * - Every fill pays the fee (bids on top, asks out of proceeds); orders below 5,000 KRW, off the tick
 *   grid or with more than 8 volume decimals are refused by the same validation the exchange uses.
 */
export class SimulatedBroker extends QuoteAdmission {
  private fillSeq = 0;
  private readonly sourceCounts = { tape: 0, bar: 0 };
  /** The bar's resting orders, in slots reused from bar to bar. */
  private readonly resting = new RestingOrders();
  /** Tick contexts by market, kept while the tick tables in force stay the same. */
  private readonly ticks: TickContexts;
  /** The rules' fee rates, for fees computed on integers (see FeeRate). */
  private readonly makerFee: FeeRate;
  private readonly takerFee: FeeRate;
  /** The least open the rules' tick tables surely bracket (see openBracketFloor). */
  private readonly openFloor: number;

  constructor(
    capital: Krw,
    rules: MarketRules,
    private readonly slippageBps: number,
    private readonly uniform: () => number,
  ) {
    super(capital, rules);
    this.ticks = new TickContexts(rules);
    this.makerFee = new FeeRate(rules.makerFee);
    this.takerFee = new FeeRate(rules.takerFee);
    this.openFloor = openBracketFloor(rules);
  }

  /**
   * Runs one bar of a market against the orders waiting for it (see the class comment for the
   * model) and returns the fills and the rejections: arrivals at the open first, in placement order,
   * then resting fills in the order the bar's path (or its tape) reached them. `tape` carries the
   * bar's recorded public trades and book, when the run has them.
   */
  processBar(bar: Candle, tape?: BarTape): BarOutcome {
    const orders = this.pending.take(bar.market);
    if (orders === undefined) return NOTHING_HAPPENED;
    // Made only when something fills, or when a post-only order would cross (rare): most bars
    // share the empty outcome.
    let fills: BrokerFill[] | undefined;
    let rejections: BrokerRejection[] | undefined;
    this.commitmentList = undefined;
    this.bookVersion += 1;
    const at = bar.openTime;
    const estimated = !tapeCoversBar(tape);
    // Every order a quote layer that neither crosses at the open nor fills (most bars): the bar
    // rests them all (counted as a candle-estimated bar, as below) and ends them. Decided on the
    // open alone where the layers do not tie it, then with the open's synthetic book.
    if (estimated && untouchedAroundOpen(orders, bar, this.openFloor)) return this.restAll(orders);
    // The synthetic book at the open as doubles: a limit order's crossing is decided on them, and
    // on the exact quotes (built once, on the first tie) only where the doubles are equal.
    const near = spreadAroundNumber(bar.open, this.ticks.at(bar.market, at));
    if (estimated && untouchedLayers(orders, bar, near)) return this.restAll(orders);
    let open: SyntheticQuotes | undefined;
    const resting = this.resting;
    resting.clear();
    for (let index = 0; index < orders.length; index++) {
      const o = orders[index] as SimOrder;
      if (o instanceof QuoteLayerOrder) {
        // A layer placed as integers: its won is numberOf(spec.price) exactly (see below), and its
        // decimals are made only on a tie, a rejection or a fill.
        const p = o.won;
        const quote = o.side === 'bid' ? near.ask : near.bid;
        let crosses: boolean;
        if (p !== quote) crosses = o.side === 'bid' ? p > quote : p < quote;
        else {
          open ??= quotesAround(bar.open, bar.market, at, this.rules);
          crosses =
            o.side === 'bid' ? decimalGte(o.spec.price, open.ask) : decimalLte(o.spec.price, open.bid);
        }
        if (crosses) {
          rejections ??= [];
          rejections.push({ identifier: identifierOf(o), code: 'post_only_would_cross' });
        } else resting.addLayer(index, o);
        continue;
      }
      const spec = o.spec;
      if (spec.kind === 'market_buy') {
        const price = takerBuyPrice(bar.open, bar.market, at, this.rules, this.slip());
        const vol = volumeForBudget(spec.amount, price);
        if (decimalGt(vol, ZERO)) fills = appended(fills, this.execute(o, 'bid', price, vol, false, at));
      } else if (spec.kind === 'market_sell') {
        const price = takerSellPrice(bar.open, bar.market, at, this.rules, this.slip());
        fills = appended(fills, this.execute(o, 'ask', price, o.remaining, false, at));
      } else {
        // numberOf is the correctly rounded double, and rounding is monotonic: doubles that differ
        // order the decimals the same way; equal ones (the same grid price) are compared exactly.
        const p = numberOf(spec.price);
        const quote = spec.side === 'bid' ? near.ask : near.bid;
        let crosses: boolean;
        if (p !== quote) crosses = spec.side === 'bid' ? p > quote : p < quote;
        else {
          open ??= quotesAround(bar.open, bar.market, at, this.rules);
          crosses = spec.side === 'bid' ? decimalGte(spec.price, open.ask) : decimalLte(spec.price, open.bid);
        }
        if (crosses && spec.postOnly) {
          rejections ??= [];
          rejections.push({ identifier: identifierOf(o), code: 'post_only_would_cross' });
        } else if (crosses) {
          const price =
            spec.side === 'bid'
              ? minDecimal(spec.price, takerBuyPrice(bar.open, bar.market, at, this.rules, this.slip()))
              : maxDecimal(spec.price, takerSellPrice(bar.open, bar.market, at, this.rules, this.slip()));
          fills = appended(fills, this.execute(o, spec.side, price as Price, o.remaining, false, at));
        } else resting.add(index, spec.side, spec.price, o.remaining);
      }
    }
    if (resting.size > 0) {
      const fromTape = tapeCoversBar(tape);
      this.sourceCounts[fromTape ? 'tape' : 'bar'] += 1;
      const list = resting.orders();
      const allocations = fromTape ? fillsFromTape(tape, list) : fillsFromBar(bar, list);
      // Indexed: a bar that fills nothing hands back a shared frozen empty list, whose for-of V8
      // runs through an iterator object.
      for (let i = 0; i < allocations.length; i++) {
        const a = allocations[i] as (typeof allocations)[number];
        const o = orders[a.index] as SimOrder;
        const spec = o.spec as Extract<SimOrderSpec, { kind: 'limit' }>;
        fills = appended(fills, this.execute(o, spec.side, spec.price, a.volume, true, at, a.units));
      }
    }
    // The resting slots let go of this bar's layers before endOrders hands them on for reuse.
    resting.clear();
    this.endOrders(orders);
    if (fills === undefined && rejections === undefined) return NOTHING_HAPPENED;
    return { fills: fills ?? NOTHING_HAPPENED.fills, rejections: rejections ?? NOTHING_HAPPENED.rejections };
  }

  /** A bar that touches none of `orders` (see untouchedLayers): counted as estimated, orders ended. */
  private restAll(orders: SimOrder[]): BarOutcome {
    this.sourceCounts.bar += 1;
    this.endOrders(orders);
    return NOTHING_HAPPENED;
  }

  /** Bars whose resting orders were filled from the recorded tape, and from the candle estimate. */
  restingFillSources(): { readonly tape: number; readonly bar: number } {
    return { ...this.sourceCounts };
  }

  private slip(): Decimal {
    return drawSlippageBps(this.slippageBps, this.uniform());
  }

  private execute(
    o: SimOrder,
    side: 'bid' | 'ask',
    price: Price,
    vol: Volume,
    maker: boolean,
    at: EpochMs,
    /** `vol` in 1e-8 units, when the resting estimate computed it so (a quote layer's fill). */
    units?: number,
  ) {
    const layer =
      units !== undefined && o instanceof QuoteLayerOrder && o.units !== undefined ? o : undefined;
    // A layer's won × the fill's units: the value's 1e-8 units, exact while a safe integer.
    const valueUnits = layer !== undefined ? layer.won * (units as number) : Number.NaN;
    let value: Krw;
    let fee: Krw | undefined;
    // The fee's units and scale when its decimal is built from them (FillUnits), NaN where not.
    let feeUnits = Number.NaN;
    let feeScale = Number.NaN;
    if (valueUnits > 0 && Number.isSafeInteger(valueUnits)) {
      // productOf(price, vol) and feeFor's product, the same exact decimals, from the integers.
      value = krw(decimalOfUnits(valueUnits, VOLUME_DECIMALS));
      const rate = maker ? this.makerFee : this.takerFee;
      feeUnits = rate.unitsOf(valueUnits);
      if (!Number.isNaN(feeUnits)) {
        feeScale = rate.feeScale;
        fee = krw(decimalOfUnits(feeUnits, feeScale));
      }
    } else {
      // productOf: the same decimal as times, on safe integers when exact (a price × an 8-decimal volume).
      value = krw(productOf(price, vol));
    }
    fee ??= feeFor(value, this.rules, maker);
    this.fillSeq += 1;
    const fill: Fill = {
      fillId: `sim-${this.fillSeq}`,
      identifier: identifierOf(o),
      market: o.market,
      strategy: o.strategy,
      side,
      price,
      volume: vol,
      fee,
      isMaker: maker,
      at,
    };
    const before = this.findPosition(o.market, o.strategy);
    // The value computed above, not again (the same product).
    const effect = applyValuedFill(before ?? emptyPosition(o.market, o.strategy, at), fill, value);
    this.store(effect.position, before);
    // (cash ∓ value) − fee, without the intermediate decimal when exact (sumOfThree).
    this.cashKrw = krw(sumOfThree(this.cashKrw, value, side === 'bid' ? -1 : 1, fee, -1));
    this.feeTotal.add(fee, feeUnits, feeScale);
    if (layer !== undefined) layer.fillUnits(units as number);
    else o.remaining = volume(maxDecimal(ZERO, differenceOf(o.remaining, vol)));
    o.commitment = undefined;
    const decisionId =
      o.quoteOf !== undefined ? o.quoteOf.id : parseOrderIdentifier(fill.identifier)?.decisionId;
    const f = new SimFill(fill, effect.realizedPnl, decisionId, o);
    if (layer !== undefined) f.setUnits(layer.won, units as number, feeUnits, feeScale);
    return f;
  }
}
