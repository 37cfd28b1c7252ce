import { ApiTokenCheck } from '../../application/api/api-auth';
import type { ApiDeps } from '../../application/api/api-deps';
import { createApiRouter } from '../../application/api/api-router';
import { liveSnapshot } from '../../application/api/live-snapshot';
import { type RunningApiServer, startApiServer } from './api-server';
import { LiveUpdateHub } from './live-updates';
import { type AssetLookup, loadDashboardAssets } from './static-assets';

/** Where and how the local API listens (config `api.*`). */
export interface LocalApiOptions {
  readonly host: string;
  readonly port: number;
  /** Config `api.liveUpdateMs`. */
  readonly liveUpdateMs: number;
  /** Defaults to the repository's dashboard and the installed uPlot. */
  readonly assets?: AssetLookup;
}

/**
 * The API, the dashboard and its live updates on one local port: what `npm start` runs. Mutations
 * push a live update at once, so a button pressed on one screen shows on every open screen.
 */
export async function startLocalApi(deps: ApiDeps, options: LocalApiOptions): Promise<RunningApiServer> {
  const withKick: ApiDeps = {
    ...deps,
    onMutation: () => {
      deps.onMutation?.();
      hub.kick();
    },
  };
  const hub = new LiveUpdateHub({
    snapshot: () => liveSnapshot(withKick),
    clock: deps.clock,
    logger: deps.logger,
    intervalMs: options.liveUpdateMs,
  });
  return startApiServer({
    router: createApiRouter(withKick),
    assets: options.assets ?? loadDashboardAssets(),
    live: { hub, tokens: new ApiTokenCheck(deps.secrets, deps.clock, deps.logger) },
    logger: deps.logger,
    host: options.host,
    port: options.port,
    maxBodyBytes: deps.settings.maxBodyBytes,
  });
}
