import type { Market } from '../../domain/market/market-id';

/** Store key of one market's snapshot (every strategy's state for the market). */
export function marketSnapshotKey(market: Market): string {
  return `market:${market}`;
}

/** Store key of the per-strategy records (Kelly-gate outcomes, shadow trades, realised PnL seen). */
export const STRATEGIES_SNAPSHOT_KEY = 'strategies';

/** Version of the snapshot bodies' envelope (the strategies' own state carries its own key). */
export const SNAPSHOT_BODY_VERSION = 1;
