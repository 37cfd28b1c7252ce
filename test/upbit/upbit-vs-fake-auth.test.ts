import { UpbitAuthenticator } from '../../shared/src/adapters/upbit/auth/upbit-jwt';
import type { HttpTransport } from '../../shared/src/adapters/upbit/rest/http-transport';
import { UpbitExchangeApi } from '../../shared/src/adapters/upbit/rest/upbit-exchange-api';
import { UpbitQuotationApi } from '../../shared/src/adapters/upbit/rest/upbit-quotation-api';
import { UpbitRestClient } from '../../shared/src/adapters/upbit/rest/upbit-rest-client';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { volume } from '../../shared/src/domain/money/quantities';
import { Secret } from '../../shared/src/domain/security/secret';
import { BTC, type Harness, startHarness } from './support/fake-harness';

// Contract: the real client's JWTs are accepted by the fake, and every way a token can be wrong gets
// Upbit's 401 name, which the client classifies as fatal (a human must fix keys / clock / code).
describe('Upbit client vs fake exchange: authentication', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const apiWith = (accessKey: string, secretKey: string, transport?: HttpTransport, nonce?: () => string) =>
    new UpbitExchangeApi(
      new UpbitRestClient({
        baseUrl: h.fake.restUrl,
        clock: h.clock,
        authenticator: new UpbitAuthenticator(
          { accessKey, secretKey: new Secret(secretKey) },
          nonce === undefined ? {} : { nonce },
        ),
        ...(transport === undefined ? {} : { transport }),
      }),
    );

  it('signs GET without parameters, GET with parameters and arrays, POST bodies and DELETE (HS512)', async () => {
    const balances = await h.exchange.getAccounts();
    expect(balances.find((b) => b.currency === 'KRW')?.balance.toFixed()).toBe('10000000');
    const chance = await h.exchange.getOrderChance(BTC);
    expect(chance.market).toBe(BTC);
    await expect(h.exchange.getClosedOrders({ market: BTC, states: ['done', 'cancel'] })).resolves.toEqual(
      [],
    );
    await expect(h.exchange.getOrders({ uuids: ['a', 'b'] }, BTC)).resolves.toEqual([]);
    const result = await h.exchange.cancelOpenOrders({ pairs: [BTC, parseMarket('KRW-ETH')] });
    expect(result.success).toEqual([]);
  });

  it('is accepted with HS256 too', async () => {
    const other = h.clientWith({ algorithm: 'HS256' });
    await expect(other.exchange.getAccounts()).resolves.toBeInstanceOf(Array);
  });

  it('missing token → fatal no_authorization_token', async () => {
    const strip: HttpTransport = (req) => {
      const { Authorization: _dropped, ...headers } = req.headers;
      return fetchWith(req.url, req.method, headers, req.signal, req.body);
    };
    await expect(apiWith(h.fake.accessKey, h.fake.secretKey, strip).getAccounts()).rejects.toMatchObject({
      kind: 'fatal',
      code: 'no_authorization_token',
      status: 401,
    });
  });

  it('wrong secret → fatal jwt_verification; unknown key → fatal invalid_access_key', async () => {
    await expect(apiWith(h.fake.accessKey, 'not-the-secret').getAccounts()).rejects.toMatchObject({
      kind: 'fatal',
      code: 'jwt_verification',
      status: 401,
    });
    await expect(apiWith('UNKNOWNaccessKEY', h.fake.secretKey).getAccounts()).rejects.toMatchObject({
      kind: 'fatal',
      code: 'invalid_access_key',
    });
  });

  it('reused nonce → fatal nonce_used', async () => {
    const api = apiWith(h.fake.accessKey, h.fake.secretKey, undefined, () => 'fixed-nonce-for-this-test');
    await api.getAccounts();
    await expect(api.getAccounts()).rejects.toMatchObject({ kind: 'fatal', code: 'nonce_used', status: 401 });
  });

  it('query changed after signing → fatal invalid_query_payload (GET and POST)', async () => {
    const tamperQuery: HttpTransport = (req) =>
      fetchWith(
        req.url.replace('market=KRW-BTC', 'market=KRW-ETH'),
        req.method,
        req.headers,
        req.signal,
        req.body,
      );
    await expect(
      apiWith(h.fake.accessKey, h.fake.secretKey, tamperQuery).getOrderChance(BTC),
    ).rejects.toMatchObject({
      kind: 'fatal',
      code: 'invalid_query_payload',
    });
    const tamperBody: HttpTransport = (req) =>
      fetchWith(req.url, req.method, req.headers, req.signal, req.body?.replace('"0.001"', '"0.002"'));
    await expect(
      apiWith(h.fake.accessKey, h.fake.secretKey, tamperBody).testOrder({
        market: BTC,
        side: 'ask',
        ordType: 'market',
        volume: volume('0.001'),
      }),
    ).rejects.toMatchObject({ kind: 'fatal', code: 'invalid_query_payload' });
  });

  it('quotation endpoints need no keys', async () => {
    const anonymous = new UpbitRestClient({ baseUrl: h.fake.restUrl, clock: h.clock });
    const books = await new UpbitQuotationApi(anonymous).getOrderbooks([BTC]);
    expect(books[0]?.asks[0]).toEqual({ price: 100000000, size: 0.01 });
  });
});

/** A transport that sends exactly what it is given (after tampering). */
async function fetchWith(
  url: string,
  method: 'GET' | 'POST' | 'DELETE',
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
  body: string | undefined,
) {
  const response = await fetch(url, { method, headers, signal, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, header: (name: string) => response.headers.get(name), body: text };
}
