import fc from 'fast-check';
import { UpbitAuthenticator } from '../../shared/src/adapters/upbit/auth/upbit-jwt';
import type { HttpResponse, HttpTransport } from '../../shared/src/adapters/upbit/rest/http-transport';
import { UpbitExchangeApi } from '../../shared/src/adapters/upbit/rest/upbit-exchange-api';
import { UpbitRestClient } from '../../shared/src/adapters/upbit/rest/upbit-rest-client';
import { UpbitTradingVenue } from '../../shared/src/adapters/upbit/upbit-trading-venue';
import { ErrorKind, isTradingError } from '../../shared/src/domain/errors/trading-error';
import { Secret } from '../../shared/src/domain/security/secret';
import { BTC } from './support/fake-harness';
import { InstantClock } from './support/instant-clock';
import { order } from './support/order-helpers';

type Answer =
  | { readonly kind: 'reply'; readonly status: number; readonly body: string }
  | { readonly kind: 'throw' }
  | { readonly kind: 'hang' };

const request = order(BTC, 'bid', 'limit', { price: '90000000', volume: '0.0001', label: 'chaos' });
const ORDER = JSON.stringify({
  uuid: 'u-chaos',
  identifier: request.identifier,
  side: 'bid',
  ord_type: 'limit',
  price: '90000000',
  state: 'wait',
  market: 'KRW-BTC',
  created_at: '2026-11-25T22:00:00+09:00',
  volume: '0.0001',
  remaining_volume: '0.0001',
  executed_volume: '0',
  locked: '9004.5',
  trades_count: 0,
});
const error = (name: string) => JSON.stringify({ error: { name, message: 'm' } });

const answer: fc.Arbitrary<Answer> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'reply', status: 201, body: ORDER } as const) },
  {
    weight: 2,
    arbitrary: fc.constant({ kind: 'reply', status: 404, body: error('order_not_found') } as const),
  },
  {
    weight: 2,
    arbitrary: fc.constant({ kind: 'reply', status: 400, body: error('duplicated_identifier') } as const),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(400, 401, 403, 418, 429, 500, 503)
      .chain((status) =>
        fc
          .constantFrom('invalid_price_bid', 'insufficient_funds_bid', 'jwt_verification', 'x')
          .map((name) => ({ kind: 'reply', status, body: error(name) }) as const),
      ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(200, 201, 502), fc.string({ maxLength: 40 }))
      .map(([status, body]) => ({ kind: 'reply', status, body }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'throw' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'hang' } as const) },
);

const KINDS: ReadonlySet<string> = new Set(Object.values(ErrorKind));

/** True when an answer to POST /orders says for certain that no order was created by it. */
function definiteRefusal(a: Answer | undefined): boolean {
  if (a?.kind !== 'reply' || a.status < 400 || a.status >= 500 || a.status === 429) return false;
  return !a.body.includes('duplicated_identifier');
}

// Whatever Upbit (or the network) answers, in whatever order, placing stays safe: at most three
// sends, never a send after a definite refusal, and only classified errors or a parsed order out.
describe('fuzz: UpbitTradingVenue.placeOrder under chaotic answers', () => {
  it('never sends more than 3 times, never re-sends after a definite refusal, never leaks an unclassified error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 8 }), async (answers) => {
        const log: { method: string; answer: Answer | undefined }[] = [];
        let i = 0;
        const transport: HttpTransport = (req) => {
          const a = answers[Math.min(i, answers.length - 1)];
          i += 1;
          log.push({ method: req.method, answer: a });
          if (a === undefined || a.kind === 'throw') return Promise.reject(new Error('ECONNRESET'));
          if (a.kind === 'hang')
            return new Promise<HttpResponse>((_resolve, reject) =>
              req.signal.addEventListener('abort', () => reject(req.signal.reason), { once: true }),
            );
          return Promise.resolve({ status: a.status, body: a.body, header: () => null });
        };
        const clock = new InstantClock();
        const client = new UpbitRestClient({
          baseUrl: 'https://api.upbit.test/v1',
          clock,
          authenticator: new UpbitAuthenticator({ accessKey: 'k', secretKey: new Secret('s') }),
          transport,
          timeoutMs: 5,
        });
        const venue = new UpbitTradingVenue({ api: new UpbitExchangeApi(client), clock, preValidate: false });
        try {
          const placed = await venue.placeOrder(request);
          expect(placed.identifier).toBe(request.identifier);
        } catch (e) {
          if (!isTradingError(e) || !KINDS.has(e.kind)) throw new Error(`unclassified: ${String(e)}`);
        }
        const posts = log.filter((l) => l.method === 'POST');
        expect(posts.length).toBeLessThanOrEqual(3);
        const firstRefusal = log.findIndex((l) => l.method === 'POST' && definiteRefusal(l.answer));
        if (firstRefusal >= 0)
          expect(log.slice(firstRefusal + 1).some((l) => l.method === 'POST')).toBe(false);
      }),
      { numRuns: 400 },
    );
  });
});
