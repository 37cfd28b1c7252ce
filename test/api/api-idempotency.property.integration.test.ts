import fc from 'fast-check';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { createApiRouter } from '../../shared/src/application/api/api-router';
import type { HttpRequest } from '../../shared/src/application/api/http-types';
import { T0 } from '../../shared/testing/state-builders';
import { AUTH, apiWorld, memoryStores, type WorldStores } from './support/api-world';
import { drive } from './support/drive-clock';
import { dynamoStores } from './support/dynamo-world';

/**
 * Property: whatever mix of calls with shared keys arrives together (double clicks, retries, a key
 * reused with another body, on one or two API processes), each key runs its request once: one audit
 * entry and one executor command per key, every 200 for a key carries the same answer and all but
 * one are marked replayed (or, on the other process after a 5 s wait, 409), and a call whose body differs from the one that ran is refused with 422.
 */
const ROUTES = [
  [
    '/api/emergency-stop',
    ['{"reason":"a"}', '{"reason":"a","state":"halted"}', '{"state":"reducing","reason":"a"}'],
  ],
  ['/api/trading/stop', ['{}', '{"actor":"bob"}']],
] as const;

const call = fc.record({
  route: fc.integer({ min: 0, max: ROUTES.length - 1 }),
  body: fc.nat({ max: 2 }),
  key: fc.constantFrom('k1', 'k2', 'k3'),
  process: fc.integer({ min: 0, max: 1 }),
});

function request(path: string, body: string, key: string): HttpRequest {
  return {
    method: 'POST',
    path,
    query: {},
    headers: { ...AUTH, 'content-type': 'application/json', 'idempotency-key': key },
    body,
    sourceIp: '10.0.0.9',
  };
}

/** Key order-insensitive body identity: what the fingerprint compares (canonical JSON). */
function canonical(body: string): string {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(parsed)
      .sort()
      .map((k) => [k, parsed[k]]),
  );
}

const BACKENDS: ReadonlyArray<
  [string, number, (clock: ManualClock) => Promise<{ stores: WorldStores; close(): Promise<void> }>]
> = [
  ['memory', 60, async (clock) => ({ stores: memoryStores(clock), close: async () => {} })],
  ['DynamoDB Local', 8, () => dynamoStores()],
];

describe.each(BACKENDS)('Idempotency-Key under concurrent mixed calls (%s)', (_name, runs, makeStores) => {
  it('runs each key once, replays its answer to the same request and refuses other requests with 422', async () => {
    let repeatsSent = 0;
    let mixedKeys = 0;
    let replays = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 8 }), async (calls) => {
        const clock = new ManualClock(T0);
        const made = await makeStores(clock);
        try {
          const world = apiWorld({ clock, stores: made.stores });
          const routers = [createApiRouter(world.deps), createApiRouter(world.deps)];
          const sent = calls.map((c) => {
            const [path, bodies] = ROUTES[c.route] as (typeof ROUTES)[number];
            return { path, body: bodies[c.body % bodies.length] as string, key: c.key, process: c.process };
          });
          // Calls on the second process wait for the first one's answer on the clock: keep it moving.
          const answers = await drive(
            clock,
            Promise.all(
              sent.map((s) => (routers[s.process] ?? routers[0])?.(request(s.path, s.body, s.key))),
            ),
            10,
          );
          const groups = new Map<string, number[]>();
          for (const [i, s] of sent.entries())
            groups.set(`${s.path} ${s.key}`, [...(groups.get(`${s.path} ${s.key}`) ?? []), i]);
          for (const members of groups.values()) {
            const ok = members.filter((i) => answers[i]?.status === 200);
            const refused = members.filter((i) => answers[i]?.status === 422);
            // 409: still running in the other process after the 5 s wait (rare; the same request only).
            const busy = members.filter((i) => answers[i]?.status === 409);
            expect(ok.length + refused.length + busy.length).toBe(members.length);
            expect(ok.length).toBeGreaterThan(0);
            const ran = ok.filter((i) => answers[i]?.headers['idempotent-replayed'] === undefined);
            expect(ran).toHaveLength(1);
            const body = canonical(sent[ran[0] as number]?.body ?? '{}');
            for (const i of ok) {
              expect(answers[i]?.body).toBe(answers[ran[0] as number]?.body);
              expect(canonical(sent[i]?.body ?? '{}')).toBe(body);
            }
            for (const i of refused) expect(canonical(sent[i]?.body ?? '{}')).not.toBe(body);
            for (const i of busy) expect(canonical(sent[i]?.body ?? '{}')).toBe(body);
            // What the seed generated (which call of a key runs first, and so which others are
            // replays or refusals, depends on timing): calls repeating a body already sent for their
            // key, and keys sent with more than one body. Plus the replays actually answered.
            const bodies = new Set(members.map((i) => canonical(sent[i]?.body ?? '{}')));
            repeatsSent += members.length - bodies.size;
            if (bodies.size > 1) mixedKeys += 1;
            replays += ok.length - 1;
          }
          const audits = (await world.store.listAudit({ limit: 100 })).filter(
            (e) => e.action === 'api_request',
          );
          expect(audits).toHaveLength(groups.size);
          expect(await world.drainControl()).toHaveLength(groups.size);
        } finally {
          await made.close();
        }
      }),
      { seed: 20261205, numRuns: runs },
    );
    // The property saw repeats and mixed bodies, and some repeats were answered as replays.
    expect(repeatsSent).toBeGreaterThan(runs / 2);
    expect(mixedKeys).toBeGreaterThan(runs / 4);
    expect(replays).toBeGreaterThan(0);
  });
});
