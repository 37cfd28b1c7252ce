import { Decimal } from '../money/decimal';
import { wordProduct } from '../money/decimal-products';
import { sumOf } from '../money/decimal-sums';
import { productOf, significantDigits } from '../money/decimal-units';
import { type Krw, krw, VOLUME_DECIMALS } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import { KRW_TICK_TABLES, type TickTable, tickTableAt } from './tick-table';

/**
 * Upbit's KRW market trading rules as data (ccxt style), shared by the pre-trade checks, the
 * backtester's simulated broker and the fake exchange so all three reject exactly the same orders.
 */
export interface MarketRules {
  /** Smallest order total accepted for bids and asks (`min_total`). */
  readonly minTotal: Krw;
  /** Largest order total accepted (`max_total`). */
  readonly maxTotal: Krw;
  /** Decimal places allowed in a volume. */
  readonly volumeDecimals: number;
  /** Fee rate on maker fills (fraction, 0.0005 = 0.05 %). */
  readonly makerFee: Decimal;
  /** Fee rate on taker fills. */
  readonly takerFee: Decimal;
  /** Identifier length limit. */
  readonly maxIdentifierLength: number;
  /** Tick tables with their effective dates, oldest first. */
  readonly tickTables: readonly TickTable[];
}

/** The KRW market rules in force today (PROTOCOL.md §6): 5,000 KRW minimum, 1e9 maximum, 0.05 % fees. */
export const KRW_MARKET_RULES: MarketRules = {
  minTotal: krw('5000'),
  maxTotal: krw('1000000000'),
  volumeDecimals: VOLUME_DECIMALS,
  makerFee: new Decimal('0.0005'),
  takerFee: new Decimal('0.0005'),
  maxIdentifierLength: 64,
  tickTables: KRW_TICK_TABLES,
};

/** Tick table of these rules in force at an instant. */
export function tickTableFor(rules: MarketRules, at: EpochMs): TickTable {
  return tickTableAt(at, rules.tickTables);
}

/** Fee on a fill; not rounded to whole won because Upbit does not round fees (`3.697095875`). */
export function feeFor(fillValue: Krw, rules: MarketRules, isMaker: boolean): Krw {
  return productOf(fillValue, isMaker ? rules.makerFee : rules.takerFee) as Krw;
}

/**
 * KRW a bid of `total` locks: total × (1 + taker fee), what Upbit holds for a buy, defined as
 * total + total × fee (each step rounded as decimal.js rounds it). When total × fee and the lock
 * are both exact within decimal.js's 40 digits — the product's digits are at most the sum of the
 * operands' — that is the exact total × (1 + fee): one word product by the rules' 1 + fee
 * (`wordProduct`, the lock's units exceed a safe integer) instead of a product and a sum.
 */
export function lockWithTakerFee(total: Decimal, rules: MarketRules): Decimal {
  const rate = lockRate(rules);
  if (rate !== undefined && significantDigits(total) + rate.feeDigits <= PRECISION) {
    const lock = wordProduct(total, rate.onePlusFee);
    if (lock !== undefined) return lock;
  }
  return sumOf(total, productOf(total, rules.takerFee));
}

const PRECISION = 40;

interface LockRate {
  readonly onePlusFee: Decimal;
  readonly feeDigits: number;
}

// 1 + taker fee of the last rules asked (a run uses one rules object), when exact.
let rateRules: MarketRules | undefined;
let rate: LockRate | undefined;

function lockRate(rules: MarketRules): LockRate | undefined {
  if (rules !== rateRules) {
    const fee = rules.takerFee;
    const onePlusFee = new Decimal(1).plus(fee);
    const digits = significantDigits(fee);
    // Only a fee that is positive, finite and added to 1 without rounding.
    rate =
      fee.isFinite() && fee.gt(0) && onePlusFee.minus(1).eq(fee) && digits <= PRECISION
        ? { onePlusFee, feeDigits: digits }
        : undefined;
    rateRules = rules;
  }
  return rate;
}
