import { UpbitAuthenticator } from '../../shared/src/adapters/upbit/auth/upbit-jwt';
import { UpbitExchangeApi } from '../../shared/src/adapters/upbit/rest/upbit-exchange-api';
import { UpbitRestClient } from '../../shared/src/adapters/upbit/rest/upbit-rest-client';
import {
  json,
  RecordingTransport,
  type Step,
} from '../../shared/src/adapters/upbit/test-support/recording-transport';
import { UpbitTradingVenue } from '../../shared/src/adapters/upbit/upbit-trading-venue';
import { Secret } from '../../shared/src/domain/security/secret';
import { BTC } from './support/fake-harness';
import { InstantClock } from './support/instant-clock';
import { order } from './support/order-helpers';

const ORDER = {
  uuid: 'u-1',
  side: 'bid',
  ord_type: 'limit',
  price: '90000000',
  state: 'wait',
  market: 'KRW-BTC',
  created_at: '2026-11-25T22:00:00+09:00',
  volume: '0.0001',
  remaining_volume: '0.0001',
  reserved_fee: '4.5',
  remaining_fee: '4.5',
  paid_fee: '0',
  locked: '9004.5',
  executed_volume: '0',
  trades_count: 0,
};
const NOT_FOUND = json(404, { error: { name: 'order_not_found', message: '주문을 찾지 못했습니다.' } });

function venueWith(...steps: Step[]) {
  const recording = new RecordingTransport(...steps);
  const clock = new InstantClock();
  const client = new UpbitRestClient({
    baseUrl: 'https://api.upbit.test/v1',
    clock,
    authenticator: new UpbitAuthenticator({ accessKey: 'k', secretKey: new Secret('s') }),
    transport: recording.transport,
    timeoutMs: 50,
  });
  const venue = new UpbitTradingVenue({ api: new UpbitExchangeApi(client), clock, preValidate: false });
  const calls = () => recording.requests.map((r) => `${r.method} ${new URL(r.url).pathname.slice(3)}`);
  return { venue, recording, calls };
}

// Idempotent placing, step by step, with scripted answers (the fake-exchange suites cover the same
// paths over real HTTP; these pin the exact request sequence).
describe('UpbitTradingVenue.placeOrder idempotency', () => {
  const request = order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0001' });
  const withId = { ...ORDER, identifier: request.identifier };

  it('always sends the identifier, signed into query_hash', async () => {
    const { venue, recording } = venueWith(json(201, withId));
    await venue.placeOrder(request);
    expect(JSON.parse(recording.requests[0]?.body ?? '{}').identifier).toBe(request.identifier);
    expect(recording.jwtPayload(0)?.query_hash).toMatch(/^[0-9a-f]{128}$/);
  });

  it('after a timeout looks the order up by identifier first and returns it without re-sending', async () => {
    const { venue, calls, recording } = venueWith({ hang: true }, json(200, withId));
    await expect(venue.placeOrder(request)).resolves.toMatchObject({ uuid: 'u-1' });
    expect(calls()).toEqual(['POST /orders', 'GET /order']);
    expect(recording.requests[1]?.url).toContain(`identifier=${request.identifier}`);
  });

  it('after a network error finds nothing, re-sends with the same identifier and returns the new order', async () => {
    const { venue, calls, recording } = venueWith(
      { throws: new Error('ECONNRESET') },
      NOT_FOUND,
      json(201, withId),
    );
    await expect(venue.placeOrder(request)).resolves.toMatchObject({ uuid: 'u-1' });
    expect(calls()).toEqual(['POST /orders', 'GET /order', 'POST /orders']);
    expect(recording.requests[0]?.body).toBe(recording.requests[2]?.body);
  });

  it('treats an unreadable 201 and a 5xx as unknown outcomes too', async () => {
    const garbled = venueWith({ status: 201, body: '{"uuid":' }, json(200, withId));
    await expect(garbled.venue.placeOrder(request)).resolves.toMatchObject({ uuid: 'u-1' });
    const failed = venueWith(json(502, 'bad gateway'), json(200, withId));
    await expect(failed.venue.placeOrder(request)).resolves.toMatchObject({ uuid: 'u-1' });
    expect(failed.calls()).toEqual(['POST /orders', 'GET /order']);
  });

  it('gives up after 3 sends that all time out, as a retryable timeout (safe to call again)', async () => {
    const { venue, calls } = venueWith(
      { hang: true },
      NOT_FOUND,
      { hang: true },
      NOT_FOUND,
      { hang: true },
      NOT_FOUND,
    );
    await expect(venue.placeOrder(request)).rejects.toMatchObject({ kind: 'retryable', code: 'timeout' });
    expect(calls().filter((c) => c === 'POST /orders')).toHaveLength(3);
  });

  it('when the lookup fails as well, reports order_outcome_unknown (retryable) and sends nothing more', async () => {
    const { venue, calls } = venueWith(
      { hang: true },
      json(500, { error: { name: 'internal_server_error', message: 'x' } }),
    );
    await expect(venue.placeOrder(request)).rejects.toMatchObject({
      kind: 'retryable',
      code: 'order_outcome_unknown',
    });
    expect(calls()).toEqual(['POST /orders', 'GET /order']);
  });

  it('duplicated_identifier fetches and returns the existing order instead of placing another', async () => {
    const dup = json(400, { error: { name: 'duplicated_identifier', message: 'dup' } });
    const { venue, calls } = venueWith(dup, json(200, withId));
    await expect(venue.placeOrder(request)).resolves.toMatchObject({
      uuid: 'u-1',
      identifier: request.identifier,
    });
    expect(calls()).toEqual(['POST /orders', 'GET /order']);
  });

  it('a definite refusal is thrown at once: no lookup, no re-send', async () => {
    const refused = venueWith(json(400, { error: { name: 'invalid_price_bid', message: 'tick' } }));
    await expect(refused.venue.placeOrder(request)).rejects.toMatchObject({
      kind: 'rejected',
      code: 'invalid_price_bid',
    });
    expect(refused.calls()).toEqual(['POST /orders']);
  });

  const TOO_MANY = json(429, { error: { name: 'too_many_requests', message: 'Too many API requests.' } });

  it('a 429 is looked up by identifier before the same identifier is re-sent: placed exactly once', async () => {
    const limited = venueWith(TOO_MANY, NOT_FOUND, json(201, withId));
    await expect(limited.venue.placeOrder(request)).resolves.toMatchObject({ uuid: 'u-1' });
    expect(limited.calls()).toEqual(['POST /orders', 'GET /order', 'POST /orders']);
    const bodies = limited.recording.requests
      .filter((r) => r.method === 'POST')
      .map((r) => JSON.parse(r.body ?? '{}').identifier);
    expect(bodies).toEqual([request.identifier, request.identifier]);
    // A 429 whose order exists anyway (the answer lied) returns it and sends nothing more.
    const placedAnyway = venueWith(TOO_MANY, json(200, withId));
    await expect(placedAnyway.venue.placeOrder(request)).resolves.toMatchObject({ uuid: 'u-1' });
    expect(placedAnyway.calls()).toEqual(['POST /orders', 'GET /order']);
  });

  it('keeps answering 429 → gives up after 5 sends as a retryable 429 with the pause to wait', async () => {
    const steps = Array.from({ length: 5 }, () => [TOO_MANY, NOT_FOUND]).flat();
    const limited = venueWith(...steps);
    const error = await limited.venue.placeOrder(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'retryable', status: 429, code: 'too_many_requests' });
    expect((error as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(limited.calls().filter((c) => c === 'POST /orders')).toHaveLength(5);
  });
});
