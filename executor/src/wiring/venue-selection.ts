import type { UpbitCredentials } from '../../../shared/src/adapters/upbit/auth/upbit-jwt';
import type { AppConfig } from '../../../shared/src/config/config-schema';
import { Secret } from '../../../shared/src/domain/security/secret';
import { DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY } from '../../../shared/src/fake-exchange/fake-exchange';

/** Where orders go and where market data comes from, decided once from the config. */
export type VenueChoice =
  /** Real orders on Upbit with the keys (live mode only). */
  | { readonly kind: 'upbit-live'; readonly restUrl: string; readonly wsUrl: string }
  /** Orders on the fake exchange over HTTP with its keys (paper mode, exchange: sim, paperVenue: sim). */
  | {
      readonly kind: 'sim-orders';
      readonly restUrl: string;
      readonly wsUrl: string;
      readonly credentials: UpbitCredentials;
    }
  /** The in-process paper venue fed by Upbit's or the sim's public data (no keys). */
  | { readonly kind: 'paper'; readonly restUrl: string; readonly wsUrl: string; readonly sim: boolean };

function isUpbitHost(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'upbit.com' || host.endsWith('.upbit.com');
  } catch {
    return false;
  }
}

/**
 * Resolves the venue. `exchange: sim` with URLs still pointing at Upbit (the shipped defaults) means
 * the local sim on `sim.port`; with UPBIT_REST_URL/UPBIT_WS_URL set elsewhere, those. Paper mode never
 * sends an order to an upbit.com host, whatever the URLs say: a sim-orders choice aimed at Upbit is
 * refused, so a mis-set URL can never turn paper trading into real trading.
 */
export function chooseVenue(config: AppConfig): VenueChoice {
  const simOrigin = `127.0.0.1:${config.sim.port}`;
  const onUpbit = isUpbitHost(config.upbit.restUrl) || isUpbitHost(config.upbit.wsUrl);
  const urls =
    config.exchange === 'sim' && onUpbit
      ? { restUrl: `http://${simOrigin}`, wsUrl: `ws://${simOrigin}` }
      : { restUrl: config.upbit.restUrl, wsUrl: config.upbit.wsUrl };
  if (config.mode === 'live') return { kind: 'upbit-live', ...urls };
  if (config.executor.paperVenue === 'sim') {
    if (isUpbitHost(urls.restUrl))
      throw new RangeError(
        'paperVenue: sim would send paper orders to api.upbit.com; point UPBIT_REST_URL at the sim',
      );
    return {
      kind: 'sim-orders',
      ...urls,
      credentials: {
        accessKey: config.upbit.accessKey?.reveal() ?? DEFAULT_ACCESS_KEY,
        secretKey: config.upbit.secretKey ?? new Secret(DEFAULT_SECRET_KEY),
      },
    };
  }
  return { kind: 'paper', ...urls, sim: config.exchange === 'sim' };
}

/**
 * The keys that go with a choice: the sim's for sim orders, the configured Upbit keys live, none for
 * the paper venue (public data needs no keys, so paper mode can never sign a request).
 */
export function venueCredentials(config: AppConfig, choice: VenueChoice): UpbitCredentials | undefined {
  if (choice.kind === 'sim-orders') return choice.credentials;
  if (choice.kind !== 'upbit-live') return undefined;
  const { accessKey, secretKey } = config.upbit;
  return accessKey === undefined || secretKey === undefined
    ? undefined
    : { accessKey: accessKey.reveal(), secretKey };
}
