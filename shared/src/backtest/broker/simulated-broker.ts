import { draftOfPlanned } from '../../domain/ensemble/order-plan';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { feeFor, type MarketRules, tickTableFor } from '../../domain/market/market-rules';
import { type Decimal, maxDecimal, minDecimal, ZERO } from '../../domain/money/decimal';
import { decimalGt, decimalGte, decimalLte, sumExceeds } from '../../domain/money/decimal-compare';
import { differenceOf, sumOf } from '../../domain/money/decimal-sums';
import { productOf } from '../../domain/money/decimal-units';
import {
  type Krw,
  krw,
  type Price,
  type Volume,
  volume,
  volumeForBudget,
} from '../../domain/money/quantities';
import { wasAccepted } from '../../domain/orders/limit-facts';
import { ACCEPTED, reject, type ValidationResult } from '../../domain/orders/order-rejection';
import type { OrderDraft } from '../../domain/orders/order-types';
import { orderLock, validateOrder } from '../../domain/orders/validate-order';
import type { Commitment } from '../../domain/risk/exposure';
import { applyFillToPosition, emptyPosition } from '../../domain/risk/position-accounting';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision, QuoteLevel } from '../../domain/trading/decision';
import type { Fill } from '../../domain/trading/fill';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { quotesAround } from '../engine/synthetic-book';
import { drawSlippageBps, takerBuyPrice, takerSellPrice } from './fill-prices';
import { LockBook } from './lock-book';
import { type BarTape, fillsFromBar, fillsFromTape, type RestingOrder, tapeCoversBar } from './resting-fills';
import {
  identifierOf,
  reasonOf,
  type SimOrder,
  type SimOrderRequest,
  type SimOrderSpec,
  sideOf,
} from './sim-order';
import { exceedsUnoffered, unofferedVolume } from './unoffered';

/** One simulated execution with its realised PnL (net of both legs' fees) and the order's reason. */
export interface BrokerFill {
  readonly fill: Fill;
  readonly realizedPnl: Krw;
  readonly reason: string;
}

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

type Owner = StrategyName | 'operator';

const NO_ORDERS: readonly SimOrder[] = Object.freeze([]);

/** What an open order commits, in the risk engine's terms (locked KRW, volume offered). */
function commitmentOf(o: SimOrder): Commitment {
  const side = sideOf(o.spec);
  const decisionId = o.decisionId ?? identifierOf(o).split('.')[1] ?? identifierOf(o);
  return {
    market: o.market,
    strategy: o.strategy,
    decisionId: decisionId as Commitment['decisionId'],
    side,
    lockedKrw: o.lockedKrw,
    remainingVolume: side === 'ask' ? o.remaining : volume(ZERO),
  };
}

function positionKey(market: Market, strategy: Owner): string {
  return `${market}|${strategy}`;
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
export class SimulatedBroker {
  private cashKrw: Krw;
  private readonly locks: LockBook;
  private feesKrw: Krw = krw(ZERO);
  private readonly positions = new Map<string, Position>();
  // The same positions by market then owner, for lookups on every bar without building a key.
  private readonly byMarket = new Map<Market, Map<Owner, Position>>();
  /** Positions holding volume, so an account holding nothing is valued without a sum. */
  private held = 0;
  private readonly pending = new Map<Market, SimOrder[]>();
  private fillSeq = 0;
  private readonly sourceCounts = { tape: 0, bar: 0 };
  // Snapshots the risk checks read several times per bar; dropped whenever orders or positions change.
  private positionList: readonly Position[] | undefined;
  private commitmentList: readonly Commitment[] | undefined;
  /**
   * Bumped whenever a position or an open order changes: whatever is derived from the book alone
   * (exposure, a strategy's context) stays valid while it holds.
   */
  private bookVersion = 0;

  constructor(
    capital: Krw,
    private readonly rules: MarketRules,
    private readonly slippageBps: number,
    private readonly uniform: () => number,
  ) {
    this.cashKrw = capital;
    this.locks = new LockBook(rules);
  }

  /** KRW balance including what open bids have locked. */
  get cash(): Krw {
    return this.cashKrw;
  }

  /** Every fee paid so far. */
  get fees(): Krw {
    return this.feesKrw;
  }

  /** All positions ever opened (flat ones included: they carry realised PnL). */
  allPositions(): readonly Position[] {
    this.positionList ??= [...this.positions.values()];
    return this.positionList;
  }

  /** One strategy's position in one market, or an empty one. */
  positionOf(market: Market, strategy: Owner, at: EpochMs): Position {
    return this.findPosition(market, strategy) ?? emptyPosition(market, strategy, at);
  }

  /** One strategy's position in one market, undefined when it never traded there. */
  findPosition(market: Market, strategy: Owner): Position | undefined {
    return this.byMarket.get(market)?.get(strategy);
  }

  /** True when some strategy holds volume in the market. */
  holdsIn(market: Market): boolean {
    const owners = this.byMarket.get(market);
    if (owners === undefined || this.held === 0) return false;
    for (const p of owners.values()) if (!p.volume.isZero()) return true;
    return false;
  }

  /** True when any position holds volume. */
  get holdsAny(): boolean {
    return this.held > 0;
  }

  /** True when orders wait for the market's next bar. */
  hasPending(market: Market): boolean {
    return this.pending.has(market);
  }

  /** Changes whenever a position or an open order changes (see the field). */
  get version(): number {
    return this.bookVersion;
  }

  /** Base volume held in a market across strategies. */
  heldIn(market: Market): Volume {
    let total: Decimal = ZERO;
    const owners = this.byMarket.get(market);
    if (owners !== undefined) for (const p of owners.values()) total = sumOf(total, p.volume);
    return volume(total);
  }

  /** What open orders commit, in the risk engine's terms (locked KRW, volume offered). */
  commitments(): readonly Commitment[] {
    this.commitmentList ??= this.buildCommitments();
    return this.commitmentList;
  }

  private buildCommitments(): Commitment[] {
    const out: Commitment[] = [];
    for (const orders of this.pending.values())
      for (const o of orders) {
        if (o.lazyLock !== undefined) this.locks.materialise(o);
        o.commitment ??= commitmentOf(o);
        out.push(o.commitment);
      }
    return out;
  }

  /**
   * Cash + every holding at the given marks; markets without a mark are valued at zero. Holding
   * nothing, it is the cash itself (the same object), so callers can tell an unchanged value cheaply.
   */
  equity(markOf: (market: Market) => Price | undefined): Krw {
    if (this.held === 0) return this.cashKrw;
    let total: Decimal = this.cashKrw;
    for (const p of this.positions.values()) {
      if (p.volume.isZero()) continue;
      const mark = markOf(p.market);
      // productOf/sumOf: the same decimals as times/plus, as safe-integer arithmetic when exact (every bar
      // while something is held).
      if (mark !== undefined) total = sumOf(total, productOf(p.volume, mark));
    }
    return krw(total);
  }

  /**
   * Accepts or refuses an order now, exactly as Upbit would at submission: shape, tick grid, volume
   * precision, min/max total, then funds (KRW incl. the fee for bids, the strategy's unoffered
   * holding for asks). `referencePrice` values a market sell for the minimum-total check.
   */
  place(
    request: SimOrderRequest,
    at: EpochMs,
    referencePrice: Price,
    /** `draftOfPlanned(request.market, request.spec)` when the caller built it already. */
    draft: OrderDraft = draftOfPlanned(request.market, request.spec),
  ): ValidationResult {
    const valid = validateOrder(draft, this.rules, at, { referencePrice });
    if (!valid.ok) return valid;
    return this.admit(request, request.spec, at, draft, undefined, 0);
  }

  /**
   * {@link place} for leg `leg` of an approved quotes decision: a post-only limit order at the
   * level's price and volume, for the decision's market and strategy, whose identifier
   * (`orderIdentifier(decision.id, leg)`) and reason (the order plan's) are made only when a fill
   * or a rejection reads them. The same verdicts as `place`: a level the exchange validation
   * already accepted in this shape (the ladder path records it) is not validated again, anything
   * else is.
   */
  placeQuote(decision: Decision, leg: number, level: QuoteLevel, at: EpochMs): ValidationResult {
    const market = decision.market;
    const spec: SimOrderSpec = {
      kind: 'limit',
      side: level.side,
      price: level.price,
      volume: level.volume,
      postOnly: true,
    };
    let draft: OrderDraft | undefined;
    const rules = this.rules;
    if (
      !wasAccepted(level.price, level.volume, market, level.side, 'post_only', rules, tickTableFor(rules, at))
    ) {
      draft = draftOfPlanned(market, spec);
      // A limit order's validation never reads the reference price (market orders only).
      const valid = validateOrder(draft, rules, at);
      if (!valid.ok) return valid;
    }
    return this.admit(decision, spec, at, draft, decision, leg);
  }

  /** Funds (KRW with the fee for bids, unoffered holding for asks), then the order joins the book. */
  private admit(
    request: Pick<SimOrderRequest, 'market' | 'strategy'> &
      Partial<Pick<SimOrderRequest, 'identifier' | 'reason' | 'decisionId'>>,
    spec: SimOrderSpec,
    at: EpochMs,
    draft: OrderDraft | undefined,
    quoteOf: Decision | undefined,
    leg: number,
  ): ValidationResult {
    const side = sideOf(spec);
    let locked = krw(ZERO);
    let lazyLock: number | undefined;
    let remaining = volume(ZERO);
    if (side === 'bid') {
      const approx = spec.kind === 'limit' ? this.locks.approxLock(spec.price, spec.volume) : Number.NaN;
      if (this.locks.surelyFits(approx, this.cashKrw)) lazyLock = approx;
      else {
        locked = orderLock(draft ?? draftOfPlanned(request.market, spec), this.rules);
        const open = this.locks.total();
        // locked > cash − already locked, decided without building the difference unless close.
        if (sumExceeds(locked, open, this.cashKrw)) {
          const available = this.cashKrw.minus(open);
          return reject(
            'insufficient_funds_bid',
            `needs ${locked.toFixed()} KRW but only ${available.toFixed()} is available`,
          );
        }
      }
      if (spec.kind === 'limit') remaining = spec.volume;
    } else {
      remaining = spec.kind === 'market_buy' ? volume(ZERO) : spec.volume;
      const held = this.positionOf(request.market, request.strategy, at).volume;
      const orders = this.pending.get(request.market) ?? NO_ORDERS;
      if (exceedsUnoffered(remaining, held, orders, request.strategy)) {
        const free = unofferedVolume(held, orders, request.strategy);
        return reject(
          'insufficient_funds_ask',
          `sell of ${remaining.toFixed()} exceeds the ${free.toFixed()} ${request.strategy} holds unoffered`,
        );
      }
    }
    this.locks.add(locked);
    this.commitmentList = undefined;
    this.bookVersion += 1;
    const order: SimOrder = {
      identifier: quoteOf === undefined ? request.identifier : undefined,
      market: request.market,
      strategy: request.strategy,
      spec,
      reason: quoteOf === undefined ? request.reason : undefined,
      decisionId: quoteOf === undefined ? request.decisionId : quoteOf.id,
      quoteOf,
      leg,
      placedAt: at,
      lockedKrw: locked,
      remaining,
      lazyLock,
      // Set later (commitments): present from the start, so every order keeps one shape.
      commitment: undefined,
    };
    if (lazyLock !== undefined) this.locks.addLazy(order);
    const list = this.pending.get(request.market);
    if (list === undefined) this.pending.set(request.market, [order]);
    else list.push(order);
    return ACCEPTED;
  }

  /** Cancels every open order of a market and releases its locks. */
  cancelAll(market: Market): void {
    this.commitmentList = undefined;
    this.bookVersion += 1;
    for (const o of this.pending.get(market) ?? []) this.release(o);
    this.pending.delete(market);
  }

  /**
   * Runs one bar of a market against the orders waiting for it (see the class comment for the
   * model) and returns the fills and the rejections: arrivals at the open first, in placement order,
   * then resting fills in the order the bar's path (or its tape) reached them. `tape` carries the
   * bar's recorded public trades and book, when the run has them.
   */
  processBar(bar: Candle, tape?: BarTape): BarOutcome {
    const orders = this.pending.get(bar.market);
    if (orders === undefined) return NOTHING_HAPPENED;
    const fills: BrokerFill[] = [];
    // Made only when a post-only order would cross (rare): most bars share the empty list.
    let rejections: BrokerRejection[] | undefined;
    this.pending.delete(bar.market);
    this.commitmentList = undefined;
    this.bookVersion += 1;
    const at = bar.openTime;
    const open = quotesAround(bar.open, bar.market, at, this.rules);
    const resting: RestingOrder[] = [];
    for (let index = 0; index < orders.length; index++) {
      const o = orders[index] as SimOrder;
      const spec = o.spec;
      if (spec.kind === 'market_buy') {
        const price = takerBuyPrice(bar.open, bar.market, at, this.rules, this.slip());
        const vol = volumeForBudget(spec.amount, price);
        if (decimalGt(vol, ZERO)) fills.push(this.execute(o, 'bid', price, vol, false, at));
      } else if (spec.kind === 'market_sell') {
        const price = takerSellPrice(bar.open, bar.market, at, this.rules, this.slip());
        fills.push(this.execute(o, 'ask', price, o.remaining, false, at));
      } else {
        const crosses =
          spec.side === 'bid' ? decimalGte(spec.price, open.ask) : decimalLte(spec.price, open.bid);
        if (crosses && spec.postOnly) {
          rejections ??= [];
          rejections.push({ identifier: identifierOf(o), code: 'post_only_would_cross' });
        } else if (crosses) {
          const price =
            spec.side === 'bid'
              ? minDecimal(spec.price, takerBuyPrice(bar.open, bar.market, at, this.rules, this.slip()))
              : maxDecimal(spec.price, takerSellPrice(bar.open, bar.market, at, this.rules, this.slip()));
          fills.push(this.execute(o, spec.side, price as Price, o.remaining, false, at));
        } else resting.push({ index, side: spec.side, price: spec.price, remaining: o.remaining });
      }
    }
    if (resting.length > 0) {
      const fromTape = tapeCoversBar(tape);
      this.sourceCounts[fromTape ? 'tape' : 'bar'] += 1;
      const allocations = fromTape ? fillsFromTape(tape, resting) : fillsFromBar(bar, resting);
      for (const a of allocations) {
        const o = orders[a.index] as SimOrder;
        const spec = o.spec as Extract<SimOrderSpec, { kind: 'limit' }>;
        fills.push(this.execute(o, spec.side, spec.price, a.volume, true, at));
      }
    }
    for (const o of orders) this.release(o);
    return { fills, rejections: rejections ?? NOTHING_HAPPENED.rejections };
  }

  private store(position: Position, before: Position | undefined): void {
    this.positions.set(positionKey(position.market, position.strategy), position);
    let owners = this.byMarket.get(position.market);
    if (owners === undefined) {
      owners = new Map();
      this.byMarket.set(position.market, owners);
    }
    owners.set(position.strategy, position);
    this.held +=
      (position.volume.isZero() ? 0 : 1) - (before === undefined || before.volume.isZero() ? 0 : 1);
    this.positionList = undefined;
    this.bookVersion += 1;
  }

  /** Bars whose resting orders were filled from the recorded tape, and from the candle estimate. */
  restingFillSources(): { readonly tape: number; readonly bar: number } {
    return { ...this.sourceCounts };
  }

  private slip(): Decimal {
    return drawSlippageBps(this.slippageBps, this.uniform());
  }

  private release(o: SimOrder): void {
    this.locks.release(o);
  }

  private execute(o: SimOrder, side: 'bid' | 'ask', price: Price, vol: Volume, maker: boolean, at: EpochMs) {
    // productOf: the same decimal as times, on safe integers when exact (a price × an 8-decimal volume).
    const value = krw(productOf(price, vol));
    const fee = feeFor(value, this.rules, maker);
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
    const effect = applyFillToPosition(before ?? emptyPosition(o.market, o.strategy, at), fill);
    this.store(effect.position, before);
    this.cashKrw = krw(
      side === 'bid'
        ? differenceOf(differenceOf(this.cashKrw, value), fee)
        : differenceOf(sumOf(this.cashKrw, value), fee),
    );
    this.feesKrw = krw(sumOf(this.feesKrw, fee));
    o.remaining = volume(maxDecimal(ZERO, differenceOf(o.remaining, vol)));
    o.commitment = undefined;
    return { fill, realizedPnl: effect.realizedPnl, reason: reasonOf(o) };
  }
}
