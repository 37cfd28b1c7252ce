import type { LadderBooks, LadderExposure } from '../../domain/ensemble/ladder-checks';
import type { Market } from '../../domain/market/market-id';
import type { Krw } from '../../domain/money/quantities';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { SimulatedBroker } from '../broker/simulated-broker';

/**
 * The broker's books as the ladder reads them while no order is open (RouterContexts.ladderBooks):
 * no exposure amounts (undefined: the ladder reads `ctx`'s exact book, see LadderBooks.exposure),
 * and the broker's own answers for the open markets and the sellable units, which with no open
 * order are the positions' (sellableUnitsOf: the position's volume in 1e-8 units).
 */
export class QuietBooks implements LadderBooks {
  readonly openOrders = 0;

  constructor(private readonly broker: SimulatedBroker) {}

  exposure(): LadderExposure | undefined {
    return undefined;
  }

  openMarkets(dustThreshold: Krw): ReadonlySet<Market> {
    return this.broker.openMarkets(dustThreshold);
  }

  sellableUnits(market: Market, strategy: StrategyName): number | undefined {
    return this.broker.sellableUnits(market, strategy);
  }
}
