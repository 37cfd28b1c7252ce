import type { LadderBooks, LadderExposure } from '../../domain/ensemble/ladder-checks';
import type { Market } from '../../domain/market/market-id';
import { LastUnits } from '../../domain/money/last-units';
import { type Krw, VOLUME_DECIMALS } from '../../domain/money/quantities';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { SimulatedBroker } from '../broker/simulated-broker';

/**
 * The broker's books as the ladder reads them while no order is open (RouterContexts.ladderBooks):
 * no exposure amounts (undefined: the ladder reads `ctx`'s exact book, see LadderBooks.exposure),
 * the broker's own answer for the open markets, and the sellable units, which with no open order
 * are the position's volume in 1e-8 units (sellableUnitsOf over no order): converted again only
 * when the position's (immutable) volume decimal is another one, as a position changes on fills
 * only while the ladder asks on every bar.
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
    const position = this.broker.findPosition(market, strategy);
    if (position === undefined) return 0;
    const units = this.volumeUnits.of(position.volume);
    return units === undefined ? undefined : Math.max(0, units);
  }

  private readonly volumeUnits = new LastUnits(VOLUME_DECIMALS);
}
