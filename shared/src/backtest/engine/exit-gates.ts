import type { Decimal } from '../../domain/money/decimal';
import { decimalIsZero } from '../../domain/money/decimal-compare';
import { approximately } from '../../domain/money/decimal-units';
import type { ExitThresholds } from '../../domain/risk/exit-triggers';
import type { Position } from '../../domain/trading/position';

/**
 * Relative margin of every bound: far wider than the doubles' error (each operand within a few
 * ulps of its decimal, a handful of roundings: ~1e-15 relative), far narrower than a tick.
 */
const MARGIN = 1e-9;

/** Bounds inside which a bid is never past a threshold, for one position object (see ExitGates). */
interface Gate {
  position: Position | undefined;
  /** Bids strictly between `low` and `high` fire no exit. */
  low: number;
  high: number;
  /** Bids below this make the whole holding worth less than the minimum order. */
  dust: number;
}

/** One market's gates, by strategy index, and the span of its last all-quiet scan (see ExitGates.skips). */
export interface MarketGates {
  readonly gates: Gate[];
  /** The position and strategy lists of the last scan (positions undefined: it was not all quiet). */
  positions: readonly Position[] | undefined;
  strategies: readonly unknown[] | undefined;
  /** Bids strictly between these are inside every interval of that scan's positions. */
  low: number;
  high: number;
}

/** A gate that lets every bid through (the router's scan then decides as before). */
const OPEN = {
  low: Number.POSITIVE_INFINITY,
  high: Number.NEGATIVE_INFINITY,
  dust: Number.NEGATIVE_INFINITY,
};
/** A gate that lets no bid through: a position whose exit check returns nothing at any bid. */
const SHUT = {
  low: Number.NEGATIVE_INFINITY,
  high: Number.POSITIVE_INFINITY,
  dust: Number.NEGATIVE_INFINITY,
};

/**
 * The router's stop-loss / take-profit scan without its per-bar decimal work where nothing can
 * happen. A position's net return at bid b, v·b·(1 − fee)/cost − 1, is past neither threshold while
 * (1 − stopLoss)·K < b < (1 + takeProfit)·K with K = cost / (v·(1 − fee)); and a holding with
 * v·b below the minimum order is dust the scan skips (its sellable volume is at most v, so its
 * order value is below the minimum too). Positions are immutable objects replaced on every fill, so
 * the two bid bounds are worked out once per position object, as doubles with a 1e-9 relative
 * margin, and each bar compares the bid's double with them: a bid inside either region is quiet
 * (the scan would have sent nothing and counted nothing), any other bid takes the scan as before.
 *
 * Exact by the scan's own contract: exitKind answers what the decimals answer (its estimate decides
 * only far from a threshold, see exit-triggers), and a bid inside the bounds is inside the
 * thresholds by ~1e-9 in exact arithmetic, beyond the 40-digit rounding of the decimals.
 */
export class ExitGates {
  private readonly byMarket = new Map<string, MarketGates>();
  /**
   * The market {@link market} answered for last (the empty text, no market's, before the first:
   * a text from construction, see PendingOrders.lastMarket), and its gates.
   */
  private lastMarket = '';
  private lastGates: MarketGates | undefined = undefined;
  /** The scan in progress (see {@link begin}): the bids every position so far is quiet inside. */
  private scanLow = Number.NEGATIVE_INFINITY;
  private scanHigh = Number.POSITIVE_INFINITY;
  private scanSpanned = true;
  private readonly stopLoss: number;
  private readonly takeProfit: number;
  private readonly keep: number;
  private readonly minTotal: number;

  constructor(sellFeeRate: Decimal, thresholds: ExitThresholds, minTotal: Decimal) {
    this.stopLoss = approximately(thresholds.stopLoss);
    this.takeProfit = approximately(thresholds.takeProfit);
    this.keep = 1 - approximately(sellFeeRate);
    this.minTotal = approximately(minTotal);
  }

  /**
   * One market's gates (by the index of their strategy in the router's list) and the span of its
   * last scan where every position was quiet (see skips).
   */
  market(market: string): MarketGates {
    // The market asked last first (every bar of a single-market run), without the map lookup.
    if (market === this.lastMarket && this.lastGates !== undefined) return this.lastGates;
    let m = this.byMarket.get(market);
    if (m === undefined) {
      m = { gates: [], positions: undefined, strategies: undefined, low: 0, high: 0 };
      this.byMarket.set(market, m);
    }
    this.lastMarket = market;
    this.lastGates = m;
    return m;
  }

  /**
   * True when the market's last scan ({@link begin} … {@link end}) over these very objects (the
   * broker's position list, new whenever a position changes, and the router's strategy list) found
   * every position quiet strictly inside its gate's interval, and `bid` is inside all of them: each
   * {@link quiet} of the scan would answer true again (its gates depend on the positions alone),
   * so the scan would do nothing. Saves a position lookup per strategy and bar while positions rest.
   */
  skips(
    m: MarketGates,
    positions: readonly Position[],
    strategies: readonly unknown[],
    bid: number,
  ): boolean {
    return (
      m.positions === positions && m.strategies === strategies && usable(bid) && bid > m.low && bid < m.high
    );
  }

  /** Starts a scan: the {@link quiet} calls up to {@link end} narrow its span. */
  begin(): void {
    this.scanLow = Number.NEGATIVE_INFINITY;
    this.scanHigh = Number.POSITIVE_INFINITY;
    this.scanSpanned = true;
  }

  /**
   * Ends a scan over `positions` and `strategies`: its span is kept for {@link skips} when every
   * position was quiet inside its interval (not one quiet as dust only, nor one scanned).
   */
  end(m: MarketGates, positions: readonly Position[], strategies: readonly unknown[]): void {
    m.positions = this.scanSpanned ? positions : undefined;
    m.strategies = strategies;
    m.low = this.scanLow;
    m.high = this.scanHigh;
  }

  /**
   * True when `position` at a best bid whose double is `bid` surely neither fires an exit nor could
   * sell one. `gates` from {@link market} for the position's market, `index` its strategy's.
   */
  quiet(gates: Gate[], index: number, position: Position, bid: number): boolean {
    if (!usable(bid)) {
      this.scanSpanned = false;
      return false;
    }
    let gate = gates[index];
    if (gate === undefined || gate.position !== position) gate = this.gate(gates, index, position);
    if (bid > gate.low && bid < gate.high) {
      if (gate.low > this.scanLow) this.scanLow = gate.low;
      if (gate.high < this.scanHigh) this.scanHigh = gate.high;
      return true;
    }
    this.scanSpanned = false;
    return bid < gate.dust;
  }

  /**
   * The gate at `index`, set to `position`'s bounds: the gate object of the index is kept and
   * rewritten (positions are replaced on every fill, and a new gate and bounds object per
   * position was most of the exits' allocation); nothing else holds a gate.
   */
  private gate(gates: Gate[], index: number, position: Position): Gate {
    // Indices below `index` first, so the list stays packed (strategies appear in any order).
    while (gates.length < index) gates.push({ position: undefined, ...OPEN });
    let gate = gates[index];
    if (gate === undefined) {
      gate = { position, low: OPEN.low, high: OPEN.high, dust: OPEN.dust };
      gates[index] = gate;
    }
    gate.position = position;
    this.bound(gate, position);
    return gate;
  }

  /** Writes `position`'s bounds into `gate` (see the class comment). */
  private bound(gate: Gate, position: Position): void {
    // exitKind returns nothing for a flat position or one without cost, at any bid.
    if (decimalIsZero(position.volume) || !(approximately(position.cost) > 0)) {
      gate.low = SHUT.low;
      gate.high = SHUT.high;
      gate.dust = SHUT.dust;
      return;
    }
    const v = approximately(position.volume);
    const c = approximately(position.cost);
    const { stopLoss: sl, takeProfit: tp, keep, minTotal } = this;
    // Outside these ranges the doubles may be far from the decimals, or a threshold is one the
    // bounds below do not cover: the scan decides every bar.
    if (!(usable(v) && usable(c) && keep > 0.5 && keep <= 1 && sl > 0 && sl < 1 && tp > 0 && tp < 1e6)) {
      gate.low = OPEN.low;
      gate.high = OPEN.high;
      gate.dust = OPEN.dust;
      return;
    }
    const k = c / (v * keep);
    gate.low = (1 - sl) * k * (1 + MARGIN);
    gate.high = (1 + tp) * k * (1 - MARGIN);
    gate.dust = usable(minTotal) ? (minTotal / v) * (1 - MARGIN) : Number.NEGATIVE_INFINITY;
  }
}

/** Well inside the double range, where `approximately` is within a few ulps. */
function usable(x: number): boolean {
  return x > 1e-200 && x < 1e200;
}
