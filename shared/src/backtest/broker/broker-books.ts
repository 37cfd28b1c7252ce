import type { LadderBooks, LadderExposure } from '../../domain/ensemble/ladder-checks';
import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import { type Decimal, ZERO } from '../../domain/money/decimal';
import { decimalIsZero } from '../../domain/money/decimal-compare';
import { sumOf } from '../../domain/money/decimal-sums';
import { type Krw, krw, type Price, type Volume, volume } from '../../domain/money/quantities';
import type { Commitment } from '../../domain/risk/exposure';
import { emptyPosition } from '../../domain/risk/position-accounting';
import { emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import type { EpochMs } from '../../domain/time/epoch';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { FeeTotal } from './fee-total';
import { holdingValue } from './holding-value';
import { exposureOfBooks, openMarketsOfBooks, sellableUnitsOf } from './ladder-books';
import { LockBook } from './lock-book';
import { PendingOrders } from './pending-orders';
import { orderSide } from './quote-layer-order';
import { identifierOf, type SimOrder } from './sim-order';

/** Who owns a position or an order: a strategy, or the operator's manual orders. */
export type Owner = StrategyName | 'operator';

const NO_COMMITMENTS: readonly Commitment[] = Object.freeze(emptyRefs<Commitment>());
// Holding nothing: one shared empty list (not frozen: Node 20 reads frozen arrays slowly).
const NO_POSITIONS: readonly Position[] = emptyRefs<Position>();

/** What an open order commits, in the risk engine's terms (locked KRW, volume offered). */
function commitmentOf(o: SimOrder): Commitment {
  const side = orderSide(o);
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

// The last position key made, for its market and owner: fills come in runs of one market and
// strategy, and a new key text is a concatenation the map must flatten and hash on every fill.
// Empty texts before the first key (see PendingOrders.lastMarket), with `lastKey` for them.
let lastKeyMarket = '' as Market;
let lastKeyOwner = '' as Owner;
let lastKey = '|';

function positionKey(market: Market, strategy: Owner): string {
  if (market !== lastKeyMarket || strategy !== lastKeyOwner) {
    lastKey = `${market}|${strategy}`;
    lastKeyMarket = market;
    lastKeyOwner = strategy;
  }
  return lastKey;
}

/**
 * The simulated broker's books, exact decimals: cash, fees, positions (by key and by market), the
 * open orders waiting for their market's next bar with their KRW locks, and the risk engine's view
 * of them (commitments). The reads every decision makes live here; placing orders
 * (OrderAdmission) and running bars (SimulatedBroker) build on them.
 */
export abstract class BrokerBooks implements LadderBooks {
  protected cashKrw: Krw;
  protected readonly locks: LockBook;
  /** Every fee paid so far (summed as integers while the fees are, see FeeTotal). */
  protected readonly feeTotal = new FeeTotal();
  protected readonly positions = new Map<string, Position>();
  // The same positions by market then owner, for lookups on every bar without building a key.
  protected readonly byMarket = new Map<Market, Map<Owner, Position>>();
  /**
   * The market {@link findPosition} found an owner map for last (the empty text, no market's,
   * before the first: see PendingOrders.lastMarket), and that map.
   */
  private lastOwnersMarket = '' as Market;
  private lastOwners: Map<Owner, Position> | undefined = undefined;
  /** Positions holding volume, so an account holding nothing is valued without a sum. */
  protected held = 0;
  /**
   * The same count by market (markets whose count was never moved are absent): holdsIn, asked
   * every bar while anything is held, without iterating the market's owners.
   */
  private readonly heldByMarket = new Map<Market, number>();
  protected readonly pending = new PendingOrders();
  // Snapshots the risk checks read several times per bar; dropped whenever orders or positions change.
  protected positionList: readonly Position[] | undefined = undefined;
  private heldList: readonly Position[] | undefined = undefined;
  protected commitmentList: readonly Commitment[] | undefined = undefined;
  /**
   * Bumped whenever a position or an open order changes: whatever is derived from the book alone
   * (exposure, a strategy's context) stays valid while it holds.
   */
  protected bookVersion = 0;

  constructor(
    capital: Krw,
    protected readonly rules: MarketRules,
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
    return this.feeTotal.total;
  }

  /** All positions ever opened (flat ones included: they carry realised PnL). */
  allPositions(): readonly Position[] {
    this.positionList ??= [...this.positions.values()];
    return this.positionList;
  }

  /**
   * The positions holding volume, in {@link allPositions}' order. Every sum over the book skips a
   * flat position, and flat ones pile up: a multi-market run keeps one per market and strategy
   * that ever traded (~24 in 7 days × 5 markets of `all`, ~3 of them holding), and the ladder's
   * two reads scanned them all on every market's bar. Kept until a position changes; the same
   * positions in the same order, so each sum adds the same terms in the same order.
   */
  heldPositions(): readonly Position[] {
    this.heldList ??=
      this.held === 0 ? NO_POSITIONS : this.allPositions().filter((p) => !decimalIsZero(p.volume));
    return this.heldList;
  }

  /** One strategy's position in one market, or an empty one. */
  positionOf(market: Market, strategy: Owner, at: EpochMs): Position {
    return this.findPosition(market, strategy) ?? emptyPosition(market, strategy, at);
  }

  /** One strategy's position in one market, undefined when it never traded there. */
  findPosition(market: Market, strategy: Owner): Position | undefined {
    // The market looked up last first (every lookup of a single-market run): a market's owner map
    // is made once, at its first position, and never replaced (see store).
    let owners = this.lastOwners;
    if (market !== this.lastOwnersMarket || owners === undefined) {
      owners = this.byMarket.get(market);
      if (owners === undefined) return undefined;
      this.lastOwnersMarket = market;
      this.lastOwners = owners;
    }
    return owners.get(strategy);
  }

  /** True when some strategy holds volume in the market. */
  holdsIn(market: Market): boolean {
    return this.held > 0 && (this.heldByMarket.get(market) ?? 0) > 0;
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

  /** How many orders are open: the length of {@link commitments}, without building them. */
  get openOrders(): number {
    // Indexed: read once per bar (ExposureBooks), where a `for…of` made an iterator whenever the
    // getter was not inlined (`all`'s step).
    const lists = this.pending.lists();
    let n = 0;
    for (let i = 0; i < lists.length; i++) n += (lists[i] as readonly SimOrder[]).length;
    return n;
  }

  /** The exposure book's entries as doubles, without the commitments (see exposureOfBooks). */
  exposure(strategy: StrategyName, market: Market): LadderExposure | undefined {
    return exposureOfBooks(this.heldPositions(), this.pending.lists(), strategy, market);
  }

  /** `openPositionMarkets` over these books, without the commitments (see openMarketsOfBooks). */
  openMarkets(dustThreshold: Krw): ReadonlySet<Market> {
    return openMarketsOfBooks(this.heldPositions(), this.pending.lists(), dustThreshold);
  }

  /** `sellableVolume` over these books in 1e-8 units (see sellableUnitsOf). */
  sellableUnits(market: Market, strategy: StrategyName): number | undefined {
    return sellableUnitsOf(this.findPosition(market, strategy), this.pending.get(market), strategy);
  }

  /** What open orders commit, in the risk engine's terms (locked KRW, volume offered). */
  commitments(): readonly Commitment[] {
    this.commitmentList ??= this.buildCommitments();
    return this.commitmentList;
  }

  private buildCommitments(): readonly Commitment[] {
    // No open order (a one-market market making run between its bar and its ladder, every bar):
    // one shared empty list rather than a new one per bar. Readers only read it (checkOrders
    // copies before it grows a list).
    if (this.pending.lists().length === 0) return NO_COMMITMENTS;
    const out: Commitment[] = [];
    for (const orders of this.pending.lists())
      for (const o of orders) {
        if (o.lazyLock > 0) this.locks.materialise(o);
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
    const held = this.heldPositions();
    for (let i = 0; i < held.length; i++) {
      const p = held[i] as Position;
      const mark = markOf(p.market);
      // productOf (through holdingValue) and sumOf: the same decimals as times/plus, as
      // safe-integer arithmetic when exact (every bar while something is held).
      if (mark !== undefined) total = sumOf(total, holdingValue(p.volume, mark));
    }
    return krw(total);
  }

  protected store(position: Position, before: Position | undefined): void {
    this.positions.set(positionKey(position.market, position.strategy), position);
    // The owner map findPosition found last when it is this market's (every fill of a one-market
    // run: the broker looked its position up just before): the same map, without a Map.get.
    let owners = position.market === this.lastOwnersMarket ? this.lastOwners : undefined;
    if (owners === undefined) {
      owners = this.byMarket.get(position.market);
      if (owners === undefined) {
        owners = new Map();
        this.byMarket.set(position.market, owners);
      }
    }
    owners.set(position.strategy, position);
    const moved =
      (position.volume.isZero() ? 0 : 1) - (before === undefined || before.volume.isZero() ? 0 : 1);
    if (moved !== 0) {
      this.held += moved;
      this.heldByMarket.set(position.market, (this.heldByMarket.get(position.market) ?? 0) + moved);
    }
    this.positionList = undefined;
    this.heldList = undefined;
    this.bookVersion += 1;
  }
}
