import type { Market } from '../market/market-id';
import type { Krw, Price, Volume } from '../money/quantities';
import type { OrderIdentifier } from '../orders/identifiers';
import type { OrderSide } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import type { StrategyName } from './strategy-name';

/** One execution of one of our orders. `fillId` is the venue's trade uuid, so a fill is applied once. */
export interface Fill {
  readonly fillId: string;
  readonly identifier: OrderIdentifier;
  readonly market: Market;
  readonly strategy: StrategyName | 'operator';
  readonly side: OrderSide;
  readonly price: Price;
  readonly volume: Volume;
  /** Fee paid in KRW (bids pay on top, asks out of proceeds). */
  readonly fee: Krw;
  readonly isMaker: boolean;
  readonly at: EpochMs;
  /**
   * Realised PnL of this fill, net of the fees of both legs (zero for buys), as the position
   * accounting computed it when the fill was booked (`recordFill`). Stored so reports and the
   * dashboard can score closed trades from the fills of a range alone, without replaying every
   * position from its opening. Optional: a fill booked another way has none, and readers say so.
   */
  readonly realizedPnl?: Krw;
}
