import type { Market } from '../market/market-id';
import type { Krw, Volume } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import type { StrategyName } from './strategy-name';

/**
 * A spot holding attributed to one strategy in one market. `cost` is the KRW paid for the volume
 * still held, fees included, so average entry = cost / volume and realised PnL is net of fees.
 */
export interface Position {
  readonly market: Market;
  readonly strategy: StrategyName | 'operator';
  readonly volume: Volume;
  readonly cost: Krw;
  readonly realizedPnl: Krw;
  readonly feesPaid: Krw;
  /** When the holding last went from flat to held; absent or `undefined` while flat. */
  readonly openedAt?: EpochMs | undefined;
  readonly updatedAt: EpochMs;
  readonly version: number;
}
