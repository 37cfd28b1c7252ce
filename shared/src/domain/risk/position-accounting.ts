import { TradingError } from '../errors/trading-error';
import type { Market } from '../market/market-id';
import { Decimal, ZERO } from '../money/decimal';
import { compareDecimals, decimalGt, decimalLt } from '../money/decimal-compare';
import { wordProduct } from '../money/decimal-products';
import { differenceOf, sumOf } from '../money/decimal-sums';
import { sumOfThree } from '../money/decimal-three-sums';
import { numberOf, productOf } from '../money/decimal-units';
import { type Krw, krw, type Price, type Volume, volume } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import type { Fill } from '../trading/fill';
import type { Position } from '../trading/position';
import type { StrategyName } from '../trading/strategy-name';
import { releasedCostOf } from './position-accounting-release';

/**
 * Scale (decimal places) of the cost released by a partial sell. Prices have ≤ 8 decimals, volumes 8
 * and fees add 4 more, so every other amount already fits in 20 places; rounding the one division to
 * the same scale keeps all sums exact inside Decimal's 40 digits, which is what makes
 * `realizedPnl − cost == Σ proceeds − Σ purchase costs` hold to the last digit.
 */
export const ACCOUNTING_SCALE = 20;

/** A position with nothing in it, the starting point for the first fill of a (market, strategy). */
export function emptyPosition(market: Market, strategy: StrategyName | 'operator', at: EpochMs): Position {
  return positionOf(market, strategy, volume(ZERO), krw(ZERO), krw(ZERO), krw(ZERO), at, 0, undefined);
}

/**
 * Every position this module builds, from one object literal: the same own keys in the same order
 * (`openedAt` last and always present, `undefined` while flat), so all of them share one hidden
 * class. An empty, an open and a closed position in three shapes deoptimised the code that reads
 * them (`liquidationValue`, once per shape and isolate). `JSON.stringify` omits the undefined
 * `openedAt`, so the text is the same as without the key.
 */
function positionOf(
  market: Market,
  strategy: StrategyName | 'operator',
  volume: Volume,
  cost: Krw,
  realizedPnl: Krw,
  feesPaid: Krw,
  updatedAt: EpochMs,
  version: number,
  openedAt: EpochMs | undefined,
): Position {
  const built = { market, strategy, volume, cost, realizedPnl, feesPaid, updatedAt, version, openedAt };
  lastBuilt = built;
  return built;
}

/**
 * The position {@link positionOf} built last: canonical by construction (positions are immutable),
 * so {@link isCanonical} answers for it without walking its keys. A broker's next fill of the same
 * market and owner applies to exactly the position its last fill built (every fill of a one-strategy
 * run); any other position is walked as before.
 */
let lastBuilt: Position | undefined;

/** What one fill changed, for the risk ledger. */
export interface FillEffect {
  readonly position: Position;
  /** Realised PnL of this fill, net of both the buy and the sell fees (zero for buys). */
  readonly realizedPnl: Krw;
  readonly fee: Krw;
}

/**
 * Applies a fill with average-cost accounting. A buy adds `price × volume + fee` to cost (Upbit
 * charges bid fees on top); a sell releases the average cost of the sold volume and realises
 * `proceeds − fee − released cost`, so realised PnL is net of fees on both legs.
 * Selling more than held is an invariant failure (spot only, never borrow): a fatal error.
 * The returned position keeps the input `version`: the store bumps it on write.
 */
export function applyFillToPosition(position: Position, fill: Fill): FillEffect {
  return applyValuedFill(position, fill, undefined);
}

/**
 * {@link applyFillToPosition} for a caller that has already computed the fill's value
 * (`productOf(fill.price, fill.volume)`, e.g. for its fee): the same effect without computing the
 * product again. `value` undefined computes it.
 */
export function applyValuedFill(position: Position, fill: Fill, value: Krw | undefined): FillEffect {
  if (fill.market !== position.market || fill.strategy !== position.strategy)
    throw new TradingError(
      'fatal',
      `fill ${fill.fillId} is for ${fill.market}/${fill.strategy}, not this position`,
      {
        code: 'position_mismatch',
      },
    );
  if (
    !(compareDecimals(fill.volume, ZERO) > 0) ||
    !(compareDecimals(fill.price, ZERO) > 0) ||
    fill.fee.isNegative()
  )
    throw new TradingError('fatal', `fill ${fill.fillId} has a non-positive price/volume or negative fee`, {
      code: 'invalid_fill',
    });
  const filled = value ?? productOf(fill.price, fill.volume);
  if (fill.side === 'bid') {
    const nextVolume = volume(sumOf(position.volume, fill.volume));
    // (cost + value) + fee, without the intermediate decimal when exact (sumOfThree).
    const cost = krw(sumOfThree(position.cost, filled, 1, fill.fee, 1));
    const feesPaid = krw(sumOf(position.feesPaid, fill.fee));
    const openedAt = position.volume.isZero() ? fill.at : (position.openedAt ?? fill.at);
    return {
      position: isCanonical(position)
        ? canonical(position, nextVolume, cost, position.realizedPnl, feesPaid, fill.at, openedAt)
        : { ...position, volume: nextVolume, cost, feesPaid, openedAt, updatedAt: fill.at },
      realizedPnl: krw(ZERO),
      fee: fill.fee,
    };
  }
  if (decimalGt(fill.volume, position.volume))
    throw new TradingError(
      'fatal',
      `sell fill ${fill.fillId} of ${fill.volume} exceeds the ${position.volume} held in ${position.market}/${position.strategy}; reconcile before trading`,
      { code: 'oversold_position' },
    );
  const closesAll = compareDecimals(fill.volume, position.volume) === 0;
  // One half-even rounding of the exact cost × sold ÷ held (decimal.js's times/div would round at
  // 40 digits first and could land a tie one unit off).
  const released = closesAll
    ? position.cost
    : releasedCostOf(position.cost, fill.volume, position.volume, ACCOUNTING_SCALE);
  const realized = sumOfThree(filled, fill.fee, -1, released, -1);
  const nextVolume = volume(differenceOf(position.volume, fill.volume));
  const cost = krw(differenceOf(position.cost, released));
  const realizedPnl = krw(sumOf(position.realizedPnl, realized));
  const feesPaid = krw(sumOf(position.feesPaid, fill.fee));
  const openedAt = closesAll ? undefined : position.openedAt;
  if (isCanonical(position)) {
    const next = canonical(position, nextVolume, cost, realizedPnl, feesPaid, fill.at, openedAt);
    return { position: next, realizedPnl: krw(realized), fee: fill.fee };
  }
  const { openedAt: _dropped, ...rest } = position;
  const next: Position = {
    ...rest,
    volume: nextVolume,
    cost,
    realizedPnl,
    feesPaid,
    updatedAt: fill.at,
    ...(openedAt === undefined ? {} : { openedAt }),
  };
  return { position: next, realizedPnl: krw(realized), fee: fill.fee };
}

/**
 * The own keys, in order, of every position {@link emptyPosition} and {@link applyFillToPosition}
 * build (`openedAt` last; positions of an older build may lack it). For such a position the spreads
 * above give the same JSON text as the object literal of {@link canonical}, which V8 builds without
 * copying properties one by one.
 */
const CANONICAL_KEYS = [
  'market',
  'strategy',
  'volume',
  'cost',
  'realizedPnl',
  'feesPaid',
  'updatedAt',
  'version',
  'openedAt',
] as const;

function isCanonical(position: Position): boolean {
  if (position === lastBuilt) return true;
  let i = 0;
  for (const key in position) {
    if (key !== CANONICAL_KEYS[i]) return false;
    i += 1;
  }
  return i >= CANONICAL_KEYS.length - 1;
}

/** A position with the canonical key order (see {@link positionOf}). */
function canonical(
  position: Position,
  volume: Volume,
  cost: Krw,
  realizedPnl: Krw,
  feesPaid: Krw,
  updatedAt: EpochMs,
  openedAt: EpochMs | undefined,
): Position {
  const { market, strategy, version } = position;
  return positionOf(market, strategy, volume, cost, realizedPnl, feesPaid, updatedAt, version, openedAt);
}

/** Average entry price including buy fees (cost / volume); undefined for a flat position. */
export function averageEntryPrice(position: Position): Price | undefined {
  return averageOf(position)?.price;
}

/**
 * `averageEntryPrice(position)?.toNumber()` (by `numberOf`, the same double), converted once per position: strategies read it as a
 * double on every bar while the position (and so its average) changes only on fills.
 */
export function averageEntryNumber(position: Position): number | undefined {
  const avg = averageOf(position);
  if (avg === undefined) return undefined;
  avg.number ??= numberOf(avg.price);
  return avg.number;
}

interface Average {
  readonly cost: Krw;
  readonly volume: Volume;
  readonly price: Price;
  number?: number;
}

function averageOf(position: Position): Average | undefined {
  if (position.volume.isZero()) return undefined;
  // A position is immutable (a fill makes a new one): its average is divided out once.
  let avg = averages.get(position);
  if (avg === undefined || avg.cost !== position.cost || avg.volume !== position.volume) {
    avg = {
      cost: position.cost,
      volume: position.volume,
      price: position.cost.div(position.volume) as Price,
    };
    averages.set(position, avg);
  }
  return avg;
}

const averages = new WeakMap<Position, Average>();

/**
 * What the holding would fetch if sold at `mark` now, after the sell fee: the honest liquidation
 * value used for unrealised PnL, stop-loss/take-profit and equity.
 */
export function liquidationValue(position: Position, mark: Price, sellFeeRate: Decimal): Krw {
  // volume × mark × (1 − fee) as decimal.js's two products, on integers and words when exact.
  const value = productOf(position.volume, mark);
  const keep = keepRate(sellFeeRate);
  return krw(wordProduct(value, keep) ?? value.times(keep));
}

// 1 − fee for the last fee rate asked (a run uses one or two): not rebuilt for every valuation.
let lastFeeRate: Decimal | undefined;
let lastKeepRate: Decimal | undefined;

function keepRate(feeRate: Decimal): Decimal {
  if (feeRate !== lastFeeRate || lastKeepRate === undefined) {
    lastKeepRate = new Decimal(1).minus(feeRate);
    lastFeeRate = feeRate;
  }
  return lastKeepRate;
}

/** Unrealised PnL net of the buy fees already paid and the sell fee still to pay. */
export function unrealizedPnl(position: Position, mark: Price, sellFeeRate: Decimal): Krw {
  return krw(liquidationValue(position, mark, sellFeeRate).minus(position.cost));
}

/** True when the holding is too small to matter (and too small to sell on Upbit). */
export function isDust(position: Position, dustThreshold: Krw): boolean {
  return position.volume.isZero() || decimalLt(position.cost, dustThreshold);
}

/** Volume a position holds, typed; a missing position holds nothing. */
export function heldVolume(position: Position | undefined): Volume {
  return position === undefined ? volume(ZERO) : position.volume;
}
