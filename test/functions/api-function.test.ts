import { apiFunction } from '../../functions/api/handler';
import { closeSecretClients } from '../../functions/lib/function-secrets';
import { lambdaHandler } from '../../functions/lib/lambda-handler';
import { webhookSecret } from '../../shared/src/adapters/telegram/telegram-commands';
import { Secret } from '../../shared/src/domain/security/secret';
import {
  EMULATOR_STARTUP_TIMEOUT_MS,
  waitForEmulators,
} from '../../shared/testing/emulators/emulator-endpoints';
import { type FakeSsmServer, startFakeSsm } from '../../shared/testing/fake-ssm-server';
import { functionWorld } from './support/function-world';

const TOKEN = 'api-token-for-the-lambda-test-0123456789';
const BOT = 'fake-bot-token-123';
const CHAT = '4242';

let ssm: FakeSsmServer;
beforeAll(async () => {
  await waitForEmulators();
  ssm = await startFakeSsm({ '/qts/test/QTS_API_TOKEN': TOKEN });
}, EMULATOR_STARTUP_TIMEOUT_MS);
afterAll(async () => {
  closeSecretClients();
  await ssm.close();
});

type World = Awaited<ReturnType<typeof functionWorld>>;
let w: World;
beforeEach(async () => {
  w = await functionWorld();
});
afterEach(() => w.close());

interface Result {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

/** An API Gateway HTTP API (payload 2.0) event, as API Gateway sends it. */
function event(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string; query?: string; base64?: boolean } = {},
) {
  const body =
    options.body === undefined
      ? undefined
      : options.base64 === true
        ? Buffer.from(options.body).toString('base64')
        : options.body;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers: { host: 'abc.execute-api.ap-northeast-2.amazonaws.com', ...options.headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc',
      requestId: 'req-1',
      stage: '$default',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' },
    },
    isBase64Encoded: options.base64 === true,
    ...(body === undefined ? {} : { body }),
  };
}

const env = () => ({ ...w.env, QTS_SSM_PREFIX: '/qts/test', AWS_ENDPOINT_URL_SSM: ssm.endpoint });
const invoke = async (e: unknown): Promise<Result> =>
  (await lambdaHandler(apiFunction, env())(e, w.context('api'))) as Result;
const auth = { authorization: `Bearer ${TOKEN}` };

describe('api function on DynamoDB Local + fauxqs, token from SSM', () => {
  it('serves health publicly, refuses a missing or wrong token with 401 JSON, answers with the token from SSM', async () => {
    const health = await invoke(event('GET', '/api/health'));
    expect(health.statusCode).toBe(200);
    // serverless-offline sends `body: null` where API Gateway leaves it out.
    expect((await invoke({ ...event('GET', '/api/health'), body: null })).statusCode).toBe(200);
    const none = await invoke(event('GET', '/api/status'));
    expect(none.statusCode).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ error: 'unauthorized' });
    const wrong = await invoke(event('GET', '/api/status', { headers: { authorization: 'Bearer nope' } }));
    expect(wrong.statusCode).toBe(401);
    const status = await invoke(event('GET', '/api/status', { headers: auth }));
    expect(status.statusCode).toBe(200);
    expect(status.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(status.body)).toMatchObject({ mode: 'paper', tradingState: 'running' });
    const trades = await invoke(event('GET', '/api/trades', { headers: auth, query: 'limit=0' }));
    expect(trades.statusCode).toBe(400);
    expect(JSON.parse(trades.body).fields[0].field).toBe('query.limit');
  });

  it('latches an emergency stop from a base64 body: control command for the executor, alert on the queue, audited', async () => {
    const answer = await invoke(
      event('POST', '/api/emergency-stop', {
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'stop-1' },
        body: JSON.stringify({ reason: 'lambda test', actor: 'alice', state: 'halted' }),
        base64: true,
      }),
    );
    expect(answer.statusCode).toBe(200);
    expect((await w.store.getControl()).latch).toMatchObject({ state: 'halted', reason: 'lambda test' });
    expect(await w.commands()).toEqual([
      expect.objectContaining({ kind: 'emergency_stop', id: 'api-emergencyStop-stop-1' }),
    ]);
    expect((await w.alerts()).map((a) => a.severity)).toContain('critical');
    const audit = await w.store.listAudit({ limit: 10 });
    expect(audit.some((a) => a.actor === 'api:alice' && a.details?.sourceIp === '203.0.113.7')).toBe(true);
  });

  it('serves the dashboard and uPlot with the security headers; live updates are 501 here', async () => {
    const page = await invoke(event('GET', '/'));
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).toContain('<html');
    const uplot = await invoke(event('GET', '/vendor/uplot.esm.js'));
    expect(uplot.statusCode).toBe(200);
    const again = await invoke(event('GET', '/', { headers: { 'if-none-match': page.headers.etag ?? '' } }));
    expect(again.statusCode).toBe(304);
    expect((await invoke(event('GET', '/nope.html'))).statusCode).toBe(404);
    expect((await invoke(event('GET', '/api/events', { headers: auth }))).statusCode).toBe(501);
  });

  it('answers Telegram commands on /telegram only when the bot token is in SSM, for the allowed chat only', async () => {
    const update = (chatId: string, text: string) =>
      JSON.stringify({ update_id: 77, message: { message_id: 1, chat: { id: Number(chatId) }, text } });
    expect((await invoke(event('POST', '/telegram', { body: update(CHAT, '/status') }))).statusCode).toBe(
      404,
    );
    ssm.parameters.set('/qts/test/TELEGRAM_BOT_TOKEN', BOT);
    ssm.parameters.set('/qts/test/TELEGRAM_CHAT_ID', CHAT);
    closeSecretClients();
    await w.close();
    w = await functionWorld(); // a fresh table: a fresh runtime, so the new SSM values are read
    const secret = webhookSecret(new Secret(BOT)).reveal();
    const forged = await invoke(
      event('POST', '/telegram', {
        headers: { 'x-telegram-bot-api-secret-token': 'guess' },
        body: update(CHAT, '/stop'),
      }),
    );
    expect(forged.statusCode).toBe(401);
    const stranger = await invoke(
      event('POST', '/telegram', {
        headers: { 'x-telegram-bot-api-secret-token': secret },
        body: update('999', '/stop'),
      }),
    );
    expect(JSON.parse(stranger.body)).toEqual({});
    const stop = await invoke(
      event('POST', '/telegram', {
        headers: { 'x-telegram-bot-api-secret-token': secret, 'content-type': 'application/json' },
        body: update(CHAT, '/stop'),
      }),
    );
    expect(stop.statusCode).toBe(200);
    expect(JSON.parse(stop.body)).toMatchObject({ method: 'sendMessage', chat_id: CHAT });
    expect((await w.store.getControl()).tradingEnabled).toBe(false);
    expect(await w.commands()).toEqual([
      expect.objectContaining({ kind: 'stop_trading', id: 'telegram-77' }),
    ]);
    ssm.parameters.delete('/qts/test/TELEGRAM_BOT_TOKEN');
    ssm.parameters.delete('/qts/test/TELEGRAM_CHAT_ID');
  });
});
