import { type Decimal, formatDecimal, parseDecimal, Rounding } from './decimal';
import { floorOfQuotient } from './decimal-floors';

declare const brand: unique symbol;
type Branded<T, B extends string> = T & { readonly [brand]: B };

/** A unit price in KRW. Branded so a volume can never be passed where a price is expected. */
export type Price = Branded<Decimal, 'Price'>;
/** A base-currency quantity (e.g. BTC). */
export type Volume = Branded<Decimal, 'Volume'>;
/** An amount of Korean won (notional, balance, fee, PnL). */
export type Krw = Branded<Decimal, 'Krw'>;

/** Upbit accepts at most 8 decimal places for volumes (base step 1e-8). */
export const VOLUME_DECIMALS = 8;

type DecimalInput = string | Decimal;

function toDecimal(value: DecimalInput): Decimal {
  return typeof value === 'string' ? parseDecimal(value) : value;
}

/** Reads a price from an Upbit decimal string or an exact decimal. */
export function price(value: DecimalInput): Price {
  return toDecimal(value) as Price;
}

/** Reads a volume from an Upbit decimal string or an exact decimal. */
export function volume(value: DecimalInput): Volume {
  return toDecimal(value) as Volume;
}

/** Reads a KRW amount from an Upbit decimal string or an exact decimal. */
export function krw(value: DecimalInput): Krw {
  return toDecimal(value) as Krw;
}

/** Notional value price × volume; exact, no rounding (Upbit does not round totals). */
export function notional(p: Price, v: Volume): Krw {
  return p.times(v) as Krw;
}

/**
 * Volume affordable with a KRW budget at a price, floored to 8 decimals so the order never spends
 * more than the budget (Upbit floors market-buy fills the same way).
 */
export function volumeForBudget(budget: Krw, p: Price): Volume {
  if (p.lte(0)) throw new RangeError(`price must be positive, got ${formatDecimal(p)}`);
  return floorOfQuotient(budget, p, VOLUME_DECIMALS) as Volume;
}

/** Floors a volume to Upbit's 8-decimal step (never rounds up: that could exceed a balance). */
export function floorVolume(v: Volume): Volume {
  return v.toDecimalPlaces(VOLUME_DECIMALS, Rounding.down) as Volume;
}

/** True when the volume has no more than 8 decimal places. */
export function hasValidVolumePrecision(v: Volume): boolean {
  return v.decimalPlaces() <= VOLUME_DECIMALS;
}

/** Decimal text for an Upbit request body. */
export function toUpbitString(value: Price | Volume | Krw): string {
  return formatDecimal(value);
}
