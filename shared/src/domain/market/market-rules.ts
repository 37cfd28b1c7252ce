import { Decimal } from '../money/decimal';
import { sumOf } from '../money/decimal-sums';
import { productOf } from '../money/decimal-units';
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
 * KRW a bid of `total` locks: total × (1 + taker fee), what Upbit holds for a buy. Computed as
 * total + total × fee, the same exact decimal (both products fit decimal.js's 40 digits), with the
 * fee product on safe integers when it fits instead of a multi-word multiplication by 1.0005.
 */
export function lockWithTakerFee(total: Decimal, rules: MarketRules): Decimal {
  return sumOf(total, productOf(total, rules.takerFee));
}
