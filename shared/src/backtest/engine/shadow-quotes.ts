import type { Market } from '../../domain/market/market-id';
import { roundNumberToTickValue, spreadAroundNumber } from '../../domain/market/tick-rounding';
import type { QuoteAt } from '../../domain/risk/shadow-ledger';
import type { TickContexts } from './tick-contexts';

/**
 * The shadow ledgers' quotes in a backtest: quoteNumbersAround(traded, market, at, rules), with the
 * tick context kept between tables, and its bid alone (spreadAroundNumber's bid) for the marks of
 * held paper positions. A class, so both are the same call targets in every run (see QuoteAt).
 */
export class ShadowQuotes implements QuoteAt {
  constructor(private readonly ticks: TickContexts) {}

  quote(traded: number, market: Market, at: number): { readonly bid: number; readonly ask: number } {
    return spreadAroundNumber(traded, this.ticks.at(market, at));
  }

  bid(traded: number, market: Market, at: number): number {
    return roundNumberToTickValue(traded, 'down', this.ticks.at(market, at));
  }
}
