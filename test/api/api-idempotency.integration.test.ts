import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { createApiRouter } from '../../shared/src/application/api/api-router';
import type { HttpRequest } from '../../shared/src/application/api/http-types';
import {
  IDEMPOTENCY_KEY_TTL_MS,
  IN_FLIGHT_LEASE_MS,
  IN_FLIGHT_WAIT_MS,
} from '../../shared/src/application/api/idempotency-gate';
import type { StateStore } from '../../shared/src/ports/state-store';
import { T0 } from '../../shared/testing/state-builders';
import { AUTH, apiWorld, memoryStores, type WorldStores } from './support/api-world';
import { drive, parked, until } from './support/drive-clock';
import { dynamoStores } from './support/dynamo-world';

/**
 * Idempotency-Key across processes and failures, on the memory store and on DynamoDB Local: a
 * second router over the same store is a second API process (another Lambda instance), which
 * learns of the first one's answer only through the store.
 */
function stop(body: string, key: string): HttpRequest {
  return {
    method: 'POST',
    path: '/api/emergency-stop',
    query: {},
    headers: { ...AUTH, 'content-type': 'application/json', 'idempotency-key': key },
    body,
    sourceIp: '10.0.0.9',
  };
}

/** A store whose `latchEmergency` can be held mid-call (a slow process) or made to fail once. */
function controllable(store: StateStore) {
  let hold: Promise<void> | undefined;
  let let_go = () => {};
  let failNext = false;
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'latchEmergency' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (failNext) {
          failNext = false;
          throw new Error('connection reset');
        }
        if (hold !== undefined) await hold;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store: wrapped,
    holdLatch() {
      hold = new Promise((resolve) => {
        let_go = () => {
          hold = undefined;
          resolve();
        };
      });
    },
    release: () => let_go(),
    failOnce() {
      failNext = true;
    },
  };
}

const BACKENDS: ReadonlyArray<
  [string, (clock: ManualClock) => Promise<{ stores: WorldStores; close(): Promise<void> }>]
> = [
  ['memory', async (clock) => ({ stores: memoryStores(clock), close: async () => {} })],
  ['DynamoDB Local', () => dynamoStores()],
];

describe.each(BACKENDS)('Idempotency-Key across processes and failures (%s)', (_name, makeStores) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function twoProcesses() {
    const clock = new ManualClock(T0);
    const made = await makeStores(clock);
    close = made.close;
    const control = controllable(made.stores.store);
    const world = apiWorld({ clock, stores: { ...made.stores, store: control.store } });
    return { world, clock, control, a: createApiRouter(world.deps), b: createApiRouter(world.deps) };
  }

  it('a retry in another process waits for the first answer and replays it', async () => {
    const { world, clock, control, a, b } = await twoProcesses();
    control.holdLatch();
    const first = a(stop('{"reason":"slow"}', 'x-1'));
    await until(
      async () => (await world.store.getIdempotencyKey('api-emergencyStop-x-1', clock.now())) !== undefined,
    );
    const retry = b(stop('{"reason":"slow"}', 'x-1'));
    await parked(clock, () => false);
    await clock.advance(100);
    control.release();
    const [one, two] = await Promise.all([first, drive(clock, retry, 100)]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(two.body).toBe(one.body);
    expect(two.headers['idempotent-replayed']).toBe('true');
    expect((await world.drainControl()).map((m) => m.command.id)).toEqual(['api-emergencyStop-x-1']);
    const audits = (await world.store.listAudit({ limit: 20 })).filter((e) => e.action === 'api_request');
    expect(audits).toHaveLength(1);
  });

  it('answers 409 with Retry-After when the first call is still running after the wait, and applies nothing twice', async () => {
    const { world, clock, control, a, b } = await twoProcesses();
    control.holdLatch();
    const first = a(stop('{"reason":"stuck"}', 'x-2'));
    await until(
      async () => (await world.store.getIdempotencyKey('api-emergencyStop-x-2', clock.now())) !== undefined,
    );
    const busy = await drive(clock, b(stop('{"reason":"stuck"}', 'x-2')), 250);
    expect(busy.status).toBe(409);
    expect(busy.headers['retry-after']).toBe('1');
    expect(JSON.parse(busy.body)).toMatchObject({ error: 'idempotency_key_in_flight' });
    expect(clock.now() - T0).toBeGreaterThanOrEqual(IN_FLIGHT_WAIT_MS);
    expect(clock.now() - T0).toBeLessThan(IN_FLIGHT_WAIT_MS + 1_000);
    control.release();
    expect((await first).status).toBe(200);
    const again = await b(stop('{"reason":"stuck"}', 'x-2'));
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(JSON.parse(again.body)).toMatchObject({ outcome: 'set' });
    expect(await world.drainControl()).toHaveLength(1);
  });

  it('lets a retry take over a claim whose holder died (lease lapsed); the late holder keeps its own answer', async () => {
    const { world, clock, control, a, b } = await twoProcesses();
    control.holdLatch();
    const dead = a(stop('{"reason":"lost"}', 'x-3'));
    const key = 'api-emergencyStop-x-3';
    const holder = async () => (await world.store.getIdempotencyKey(key, clock.now()))?.claimId;
    await until(async () => (await holder()) !== undefined);
    const original = await holder();
    await clock.advance(IN_FLIGHT_LEASE_MS);
    const takeover = b(stop('{"reason":"lost"}', 'x-3'));
    await until(async () => (await holder()) !== original);
    control.release();
    const [late, took] = await Promise.all([dead, takeover]);
    expect(took.status).toBe(200);
    expect(late.status).toBe(200);
    expect(world.logger.lines.join('\n')).toContain('taken over');
    // The stored answer is the one of the call that held the key when it finished.
    const replay = await b(stop('{"reason":"lost"}', 'x-3'));
    expect(replay.body).toBe(took.body);
    expect((await world.store.getControl()).latch?.reason).toBe('lost');
  });

  it('frees the key after an unexpected failure, so the retry runs for real', async () => {
    const { world, control, a } = await twoProcesses();
    control.failOnce();
    const failed = await a(stop('{"reason":"flaky"}', 'x-4'));
    expect(failed.status).toBe(500);
    const retry = await a(stop('{"reason":"flaky"}', 'x-4'));
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(JSON.parse(retry.body)).toMatchObject({ outcome: 'set' });
    expect((await world.store.getControl()).latch?.reason).toBe('flaky');
  });

  it('still recognises a retry after 250 other audited calls, and forgets the key after 24 h', async () => {
    const { world, clock, a } = await twoProcesses();
    const first = await a(stop('{"reason":"old"}', 'x-5'));
    for (let i = 0; i < 250; i += 1)
      await world.store.appendAudit({
        at: clock.now(),
        actor: 'api:test',
        action: 'api_request',
        details: { i },
      });
    const retry = await a(stop('{"reason":"old"}', 'x-5'));
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
    expect((await a(stop('{"reason":"other"}', 'x-5'))).status).toBe(422);
    clock.set(T0 + IDEMPOTENCY_KEY_TTL_MS);
    const reused = await a(stop('{"reason":"other","state":"halted"}', 'x-5'));
    expect(reused.status).toBe(200);
    expect(JSON.parse(reused.body)).toMatchObject({ outcome: 'escalated' });
  });
});
