import { startLocalApi } from '../../../shared/src/adapters/http/local-api';
import { ManualClock } from '../../../shared/src/adapters/memory/manual-clock';
import { T0 } from '../../../shared/testing/state-builders';
import { apiWorld, memoryStores, type WorldStores } from '../../api/support/api-world';
import { countWrites } from '../fuzz/hostile';
import { FAKE_SECRETS } from './captured-logs';

/**
 * The local API server (router, auth, validation, body limits) on memory stores whose every write
 * method, the control queue's included, bumps `counter.writes`: what the fuzzer and the auth table
 * need to prove a refused request wrote nothing. The token is the campaign's fake API token; the
 * world's logger holds what the server logged.
 */
export async function startCountingApi(): Promise<{
  server: Awaited<ReturnType<typeof startLocalApi>>;
  counter: { writes: number };
  world: ReturnType<typeof apiWorld>;
}> {
  const clock = new ManualClock(T0);
  const counter = { writes: 0 };
  const raw = memoryStores(clock);
  const stores: WorldStores = {
    store: countWrites(raw.store, counter),
    statuses: countWrites(raw.statuses, counter),
    equity: countWrites(raw.equity, counter),
    strategySettings: countWrites(raw.strategySettings, counter),
    reports: countWrites(raw.reports, counter),
    marketData: countWrites(raw.marketData, counter),
    control: countWrites(raw.control, counter),
  };
  const world = apiWorld({ clock, stores, token: FAKE_SECRETS.apiToken });
  const server = await startLocalApi(world.deps, { host: '127.0.0.1', port: 0, liveUpdateMs: 60_000 });
  return { server, counter, world };
}
