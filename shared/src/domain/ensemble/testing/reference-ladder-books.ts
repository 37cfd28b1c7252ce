import type { Market } from '../../market/market-id';
import { approximately, unitsOf } from '../../money/decimal-units';
import type { Krw } from '../../money/quantities';
import { exposureBook, openPositionMarkets, sellableVolume } from '../../risk/exposure';
import type { RiskContext } from '../../risk/pre-trade-check';
import type { StrategyName } from '../../trading/strategy-name';
import type { LadderBooks, LadderExposure } from '../ladder-checks';

/**
 * LadderBooks read off a context's exact books (for tests): the exposure entries as their doubles,
 * each moved by `skew` of itself (an account summing its own doubles is within ~1e-13 of them), the
 * sellable volume and open markets from the risk engine's own functions.
 */
export function referenceLadderBooks(ctx: RiskContext, skew: number): LadderBooks {
  const book = ctx.exposure ?? exposureBook(ctx.positions, ctx.commitments);
  const amount = (x: Krw | undefined, sign: number) =>
    x === undefined ? 0 : approximately(x) * (1 + sign * skew);
  return {
    openOrders: ctx.commitments.length,
    exposure: (strategy: StrategyName, market: Market): LadderExposure => ({
      total: amount(book.total, 1),
      strategy: amount(book.byStrategy.get(strategy), -1),
      market: amount(book.byMarket.get(market), 1),
    }),
    openMarkets: (dust: Krw) => openPositionMarkets(ctx.positions, ctx.commitments, dust),
    sellableUnits: (market: Market, strategy: StrategyName) =>
      unitsOf(sellableVolume(ctx.positions, ctx.commitments, market, strategy), 8),
  };
}
