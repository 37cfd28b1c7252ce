import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import { isOnTick, roundToTick, type TickContext } from '../../domain/market/tick-rounding';
import { tickSizeIn } from '../../domain/market/tick-table';
import { Decimal, ZERO } from '../../domain/money/decimal';
import { decimalGt } from '../../domain/money/decimal-compare';
import { decimalOfUnits, productOf, unitsOf } from '../../domain/money/decimal-units';
import { floorQuotient } from '../../domain/money/floor-quotient';
import type { Price } from '../../domain/money/quantities';
import type { EpochMs } from '../../domain/time/epoch';
import { quotesAround } from '../engine/synthetic-book';

const BPS = new Decimal(10_000);

/**
 * Price a market buy pays at a bar's open: the synthetic ask (one tick above the traded price, see
 * synthetic-book) worsened by `slippageBps` and rounded up onto the tick grid, so a taker always pays
 * at least the spread and never gets a price between ticks.
 */
export function takerBuyPrice(
  open: number,
  market: Market,
  at: EpochMs,
  rules: MarketRules,
  slippageBps: Decimal,
): Price {
  const q = quotesAround(open, market, at, rules);
  const factor = slippageFactor(slippageBps, 1) ?? slippageBps.div(BPS).plus(1);
  return roundSlipped(productOf(q.ask, factor) as Price, 'up', q.ticks);
}

/** Price a market sell gets at a bar's open: the synthetic bid worsened by the slippage, rounded down. */
export function takerSellPrice(
  open: number,
  market: Market,
  at: EpochMs,
  rules: MarketRules,
  slippageBps: Decimal,
): Price {
  const q = quotesAround(open, market, at, rules);
  const factor = slippageFactor(slippageBps, -1) ?? new Decimal(1).minus(slippageBps.div(BPS));
  const slipped = roundSlipped(productOf(q.bid, factor) as Price, 'down', q.ticks);
  // decimalGt is gt without decimal.js's new Decimal(0) for the literal on every taker sell.
  return decimalGt(slipped, ZERO) ? slipped : q.bid;
}

/**
 * Slippage of one taker fill in bps: uniform in [0, 2 × mean) from the seeded generator, so the
 * average matches `--slippage-bps` and the same seed gives the same fills. Rounded to 0.01 bp so the
 * decimal price stays short.
 */
export function drawSlippageBps(meanBps: number, uniform: number): Decimal {
  if (!(meanBps > 0)) return new Decimal(0);
  const bps = meanBps * 2 * uniform;
  const units = hundredthsOf(bps);
  return units !== undefined ? decimalOfUnits(units, 2) : new Decimal(bps).toDecimalPlaces(2);
}

const PLAIN_FRACTION = /^(\d+)\.(\d+)$/;

/**
 * `new Decimal(x).toDecimalPlaces(2)` (the project's half-even rounding) as 1e-2 units, decided on
 * x's shortest round-trip text, which is the decimal decimal.js builds from a number: the text's
 * first two fraction digits, plus one when the rest is above half, or exactly half ("5" and
 * nothing after: the shortest text has no trailing zeros) with an odd last digit kept. Undefined
 * for anything but a non-negative plain text of at most 15 digits kept (exponent texts, whole
 * numbers, negatives): decimal.js decides those. A slippage draw is such a text, so its decimal
 * is built from the units (decimalOfUnits: the canonical decimal of that value) instead of through
 * decimal.js's parser and rounding.
 */
function hundredthsOf(x: number): number | undefined {
  const near = nearestHundredths(x);
  if (near !== undefined) return near;
  const m = PLAIN_FRACTION.exec(String(x));
  if (m === null) return undefined;
  const whole = m[1] as string;
  const fraction = m[2] as string;
  if (whole.length > 13) return undefined;
  const kept = Number(whole + (fraction.length >= 2 ? fraction.slice(0, 2) : `${fraction}0`));
  if (fraction.length <= 2) return kept;
  const next = fraction.charCodeAt(2) - 48;
  const up = next > 5 || (next === 5 && (fraction.length > 3 || kept % 2 === 1));
  return up ? kept + 1 : kept;
}

/**
 * {@link hundredthsOf}'s answer without the text, where x × 100 is far from a half: for x in
 * [10^-6, 10^7), not whole (the texts hundredthsOf reads), the shortest text's value s is within
 * half an ulp of x, and fl(x × 100) within another of x × 100, so |fl(x × 100) − 100s| < 2^-22
 * (x × 100 < 2^30). Rounding to the nearest integer changes only at halves, so where fl(x × 100)
 * lies more than 10^-6 from one, 100s lies on the same side and both round to the same integer
 * (and a half-even tie, exactly at a half, is not among them). Undefined anywhere else: the text
 * decides. Every taker fill draws one slippage, and the text, its pattern and its slices cost
 * more than the rest of the draw.
 */
function nearestHundredths(x: number): number | undefined {
  if (!(x >= 1e-6 && x < 1e7) || Number.isInteger(x)) return undefined;
  const y = x * 100;
  const whole = Math.floor(y);
  const fraction = y - whole;
  if (!(Math.abs(fraction - 0.5) > 1e-6)) return undefined;
  return fraction > 0.5 ? whole + 1 : whole;
}

/**
 * 1 + sign × bps / 10,000 as the decimal of its 1e-6 units: the same value (exact, so the same
 * canonical decimal) as decimal.js's div and plus/minus, for a slippage drawn by drawSlippageBps
 * (at most 2 decimals); undefined for anything else.
 */
function slippageFactor(bps: Decimal, sign: 1 | -1): Decimal | undefined {
  const units = unitsOf(bps, 2);
  if (units === undefined || !(Math.abs(units) <= 1e12)) return undefined;
  return decimalOfUnits(1_000_000 + sign * units, 6);
}

/**
 * `roundToTick(p, mode, ctx)` for a slipped price. A whole-won price takes roundToTick's own
 * integer path; a price of at most 6 decimals in a band with a whole tick is rounded on its 1e-6
 * units: the band is looked up on the decimal itself (as roundToTick does), the multiple of the
 * tick below or above is an exact integer division, and the result is kept only when it is on the
 * grid of its own band (one pass settles it), which is roundToTick's answer. Anything else goes to
 * roundToTick, which decides with decimal.js's division and remainder.
 */
function roundSlipped(p: Price, mode: 'down' | 'up', ctx: TickContext): Price {
  if (unitsOf(p, 0) === undefined) {
    const fast = roundFractionalOnWholeTick(p, mode, ctx);
    if (fast !== undefined) return fast;
  }
  return roundToTick(p, mode, ctx);
}

function roundFractionalOnWholeTick(p: Price, mode: 'down' | 'up', ctx: TickContext): Price | undefined {
  const n = unitsOf(p, 6);
  if (n === undefined || !(n > 0)) return undefined;
  const t = unitsOf(ctx.tick ?? tickSizeIn(ctx.table, p, ctx.asset), 0);
  if (t === undefined || !(t >= 1)) return undefined;
  const d = t * 1_000_000;
  if (!(n + d <= Number.MAX_SAFE_INTEGER)) return undefined;
  // n + d < 2^53: the quotient is exact, and so is the remainder.
  let k = floorQuotient(n, d);
  if (mode === 'up' && n - k * d !== 0) k += 1;
  const rounded = k * t;
  if (!(rounded > 0 && Number.isSafeInteger(rounded))) return undefined;
  const out = decimalOfUnits(rounded, 0) as Price;
  return isOnTick(out, ctx) ? out : undefined;
}
