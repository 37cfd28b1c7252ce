import type { Market } from '../market/market-id';
import { lockWithTakerFee, type MarketRules } from '../market/market-rules';
import type { TickTable } from '../market/tick-table';
import type { Decimal } from '../money/decimal';
import { productOf } from '../money/decimal-units';
import { type Krw, krw, type Price, type Volume } from '../money/quantities';
import type { OrderSide, TimeInForce } from './order-types';

/**
 * Facts about one limit order's exact (price, volume) pair that several checks need: its total, the
 * KRW a bid of it locks, and whether the exchange validation accepted it. A market maker's quote
 * layer is validated by the risk check, locked by the broker and counted in the exposure book, each
 * of which used to recompute price × volume and total × (1 + fee) in decimal; the pair's decimals
 * are the same objects all along (decimal.js values are immutable), so the facts are computed once
 * and kept in a short ring of recent pairs.
 *
 * A fact is only reused for the very same price object and rules (and, for the validation verdict,
 * the same side, market, time in force and tick table): anything else recomputes.
 *
 * A class with every field set in its constructor: the facts of a pair seen first by a check (a
 * total, later a lock) and those recorded by the ladder (a verdict) used to be literals that grew
 * their fields in different orders, each order a hidden class of its own, and the ring's scan read
 * `price` off all of them (in `all`, V8 threw the optimised scan away on the second day).
 */
class Facts {
  /** Made on first use: a recorded validation verdict (an ask of the ladder path) needs none. */
  total: Krw | undefined = undefined;
  lockRules: MarketRules | undefined = undefined;
  lock: Krw | undefined = undefined;

  constructor(
    readonly price: Price,
    public accepted: AcceptedShape | undefined,
  ) {}
}

/** What a cached "accepted" verdict was given for (validation depends on nothing else for a limit order). */
export interface AcceptedShape {
  readonly market: Market;
  readonly side: OrderSide;
  readonly timeInForce: TimeInForce | undefined;
  readonly rules: MarketRules;
  readonly table: TickTable;
}

// The facts of the most recent pairs, newest last, found by identity. A decision's layers are
// checked, placed and counted within one bar, so a short ring finds them; a pair that fell out is
// simply recomputed. (A WeakMap keyed by thousands of short-lived decimals per second costs more
// in lookups and in the collector's ephemeron work than this scan.)
const RING = 64;
const ringVolumes: (Decimal | undefined)[] = new Array(RING).fill(undefined);
const ringFacts: (Facts | undefined)[] = new Array(RING).fill(undefined);
let ringNext = 0;

function cached(price: Price, volume: Volume): Facts | undefined {
  // Newest first: from the slot before `ringNext` down to 0, then from the top down to `ringNext`
  // (two plain loops: a modulo per step cost more than the comparisons on a miss, which scans all).
  for (let i = ringNext - 1; i >= 0; i--)
    if (ringVolumes[i] === volume && (ringFacts[i] as Facts).price === price) return ringFacts[i];
  for (let i = RING - 1; i >= ringNext; i--)
    if (ringVolumes[i] === volume && (ringFacts[i] as Facts).price === price) return ringFacts[i];
  return undefined;
}

function factsOf(price: Price, volume: Volume): Facts {
  const hit = cached(price, volume);
  if (hit !== undefined) return hit;
  const facts = new Facts(price, undefined);
  ringVolumes[ringNext] = volume;
  ringFacts[ringNext] = facts;
  ringNext = (ringNext + 1) % RING;
  return facts;
}

/** price × volume, exact (`productOf`), computed once per (price, volume) pair of objects. */
export function limitTotal(price: Price, volume: Volume): Krw {
  const facts = factsOf(price, volume);
  facts.total ??= krw(productOf(price, volume));
  return facts.total;
}

/** What a bid of (price, volume) locks: `lockWithTakerFee(price × volume)`, once per pair and rules. */
export function limitLock(price: Price, volume: Volume, rules: MarketRules): Krw {
  const facts = factsOf(price, volume);
  if (facts.lock === undefined || facts.lockRules !== rules) {
    facts.total ??= krw(productOf(price, volume));
    facts.lock = krw(lockWithTakerFee(facts.total, rules));
    facts.lockRules = rules;
  }
  return facts.lock;
}

/**
 * True when the exchange validation already accepted this (price, volume) pair for this market,
 * side, time in force, rules and tick table.
 */
export function wasAccepted(
  price: Price,
  volume: Volume,
  market: Market,
  side: OrderSide,
  timeInForce: TimeInForce | undefined,
  rules: MarketRules,
  table: TickTable,
): boolean {
  const a = cached(price, volume)?.accepted;
  return (
    a !== undefined &&
    a.market === market &&
    a.side === side &&
    a.timeInForce === timeInForce &&
    a.rules === rules &&
    a.table === table
  );
}

/** Records that the exchange validation accepted this (price, volume) pair with this shape. */
export function rememberAccepted(price: Price, volume: Volume, shape: AcceptedShape): void {
  factsOf(price, volume).accepted = shape;
}

/**
 * {@link rememberAccepted} for a pair whose decimals the caller has just built (a quote ladder's
 * layers), without looking for earlier facts (a full scan of the ring on every miss). Were the pair
 * known after all, the new entry only hides the older one: lookups find the newest, and facts are
 * functions of the pair's values.
 */
export function rememberAcceptedNew(price: Price, volume: Volume, shape: AcceptedShape): void {
  ringVolumes[ringNext] = volume;
  ringFacts[ringNext] = new Facts(price, shape);
  ringNext = (ringNext + 1) % RING;
}
