import { baseCurrency, type Market } from '../../../shared/src/domain/market/market-id';
import { type Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import type { Price } from '../../../shared/src/domain/money/quantities';
import type { Position } from '../../../shared/src/domain/trading/position';
import type { StrategyName } from '../../../shared/src/domain/trading/strategy-name';
import type { Balance } from '../../../shared/src/ports/trading-venue';

/** One market's coin: what the venue holds against what the positions say. */
export interface BalanceDiff {
  readonly market: Market;
  readonly currency: string;
  /** balance + locked on the venue. */
  readonly venue: Decimal;
  /** Σ position volume over every strategy (and the operator). */
  readonly local: Decimal;
  /** venue − local. */
  readonly diff: Decimal;
  /** |diff| × best bid, when there is a bid. */
  readonly value?: Decimal;
}

/** How a difference is booked: coins nobody placed are the operator's; coins missing leave the operator first. */
export interface BalanceCorrection {
  readonly market: Market;
  readonly strategy: StrategyName | 'operator';
  readonly side: 'bid' | 'ask';
  readonly volume: Decimal;
}

/** Differences per configured market whose value is at least `toleranceKrw` (unpriced ones always count). */
export function balanceDiffs(
  markets: readonly Market[],
  balances: readonly Balance[],
  positions: readonly Position[],
  bids: ReadonlyMap<Market, Price>,
  toleranceKrw: Decimal,
): BalanceDiff[] {
  const out: BalanceDiff[] = [];
  for (const market of markets) {
    const currency = baseCurrency(market);
    const b = balances.find((x) => x.currency === currency);
    const venue = b === undefined ? ZERO : b.balance.plus(b.locked);
    let local = ZERO;
    for (const p of positions) if (p.market === market) local = local.plus(p.volume);
    const diff = venue.minus(local);
    if (diff.isZero()) continue;
    const bid = bids.get(market);
    const value = bid === undefined ? undefined : diff.abs().times(bid);
    if (value?.lt(toleranceKrw)) continue;
    out.push({ market, currency, venue, local, diff, ...(value === undefined ? {} : { value }) });
  }
  return out;
}

/**
 * The bookings that make the positions match the venue. A surplus is adopted as an operator holding
 * (deposited or bought by hand). A deficit is taken from the operator's holding first (sold by hand);
 * what the operator cannot cover is `unexplained`: the strategies claim coins that are not there.
 * With `coverFromStrategies` (paper, sim) that remainder is taken from the largest strategy holdings.
 */
export function corrections(
  diff: BalanceDiff,
  positions: readonly Position[],
  coverFromStrategies: boolean,
): { readonly bookings: BalanceCorrection[]; readonly unexplained: Decimal } {
  if (diff.diff.gt(0))
    return {
      bookings: [{ market: diff.market, strategy: 'operator', side: 'bid', volume: diff.diff }],
      unexplained: ZERO,
    };
  let missing = diff.diff.abs();
  const bookings: BalanceCorrection[] = [];
  const mine = positions.filter((p) => p.market === diff.market && p.volume.gt(0));
  const operator = mine.find((p) => p.strategy === 'operator');
  const take = (p: Position) => {
    const v = missing.lt(p.volume) ? missing : p.volume;
    if (v.gt(0)) bookings.push({ market: diff.market, strategy: p.strategy, side: 'ask', volume: v });
    missing = missing.minus(v);
  };
  if (operator !== undefined) take(operator);
  const unexplained = missing;
  if (coverFromStrategies)
    for (const p of mine
      .filter((x) => x.strategy !== 'operator')
      .sort((a, b) => b.volume.comparedTo(a.volume)))
      if (missing.gt(0)) take(p);
  return { bookings, unexplained };
}
