import type { ApiDeps } from './api-deps';
import { positionsView, tradesView } from './portfolio-view';
import { statusView } from './status-view';

/** Recent trades carried in every live update (the full list is `GET /api/trades`). */
export const LIVE_TRADES = 20;
/** KST days a live update looks back for them: bounded, since it runs every few seconds. */
const LIVE_TRADE_DAYS = 3;

/**
 * What one live update carries: the status (state, latch, heartbeat age), positions with marks and
 * equity, and the latest trades: the numbers that move while a dashboard is open. Performance, risk
 * and the charts are re-read with plain GETs, less often.
 */
export async function liveSnapshot(deps: ApiDeps): Promise<unknown> {
  const [status, positions, trades] = await Promise.all([
    statusView(deps),
    positionsView(deps),
    tradesView(deps, LIVE_TRADES, LIVE_TRADE_DAYS),
  ]);
  return { status, positions, trades };
}
