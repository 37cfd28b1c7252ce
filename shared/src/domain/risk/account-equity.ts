import { type Decimal, ZERO } from '../money/decimal';
import { type Krw, krw, type Price } from '../money/quantities';

/** One currency's holding as the venue reports it (structurally the TradingVenue `Balance`). */
export interface HeldBalance {
  readonly currency: string;
  readonly balance: Decimal;
  readonly locked: Decimal;
}

/** Equity and what it could not value (a coin without a mark is left out and reported, never guessed). */
export interface AccountEquity {
  readonly equity: Krw;
  readonly cash: Krw;
  readonly holdings: Krw;
  readonly unpriced: readonly string[];
}

/**
 * Account equity for the loss limits: KRW (available + locked by bids) plus every coin (available +
 * locked by asks) at its best bid after the sell fee, i.e. what the account would be worth if it were
 * liquidated now. Realised and unrealised PnL both show up in it, which is what the issue asks the
 * loss limits to measure. `marks` maps a currency code (`BTC`) to its best bid.
 */
export function accountEquity(
  balances: readonly HeldBalance[],
  marks: ReadonlyMap<string, Price>,
  sellFeeRate: Decimal,
): AccountEquity {
  let cash: Decimal = ZERO;
  let holdings: Decimal = ZERO;
  const unpriced: string[] = [];
  const keep = sellFeeRate.negated().plus(1);
  for (const b of balances) {
    const amount = b.balance.plus(b.locked);
    if (b.currency === 'KRW') {
      cash = cash.plus(amount);
      continue;
    }
    if (amount.isZero()) continue;
    const mark = marks.get(b.currency);
    if (mark === undefined) {
      unpriced.push(b.currency);
      continue;
    }
    holdings = holdings.plus(amount.times(mark).times(keep));
  }
  return { equity: krw(cash.plus(holdings)), cash: krw(cash), holdings: krw(holdings), unpriced };
}
