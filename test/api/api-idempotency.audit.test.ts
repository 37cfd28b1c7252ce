import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { createApiRouter } from '../../shared/src/application/api/api-router';
import type { HttpRequest } from '../../shared/src/application/api/http-types';
import {
  IDEMPOTENCY_KEY_TTL_MS,
  IN_FLIGHT_LEASE_MS,
} from '../../shared/src/application/api/idempotency-gate';
import { fingerprint } from '../../shared/src/domain/text/fnv1a';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { FifoQueue } from '../../shared/src/ports/decision-queue';
import type { StateStore } from '../../shared/src/ports/state-store';
import { T0 } from '../../shared/testing/state-builders';
import { AUTH, apiWorld, memoryStores, type WorldStores } from './support/api-world';
import { drive } from './support/drive-clock';
import { dynamoStores } from './support/dynamo-world';

/*
 * Adversarial review (audit5) of the API's idempotency claim (idempotency-gate.ts, api-router.ts,
 * the memory and DynamoDB stores). Claims under attack:
 *  I1  a mutation whose key was already used runs at most once while the key lives (24 h);
 *  I2  a retry of the same request replays the first answer (or 409 + Retry-After while in flight);
 *  I3  a reused key with a different request is refused with 422 and applies nothing;
 *  I4  an in-flight claim lapses at exactly 60 s, a key at exactly 24 h (not a millisecond earlier);
 *  I5  a store failure before the use case runs applies nothing.
 * The tests marked "Was a counterexample" failed on the code audit5 reviewed; each says what it cost.
 */

function post(path: string, body: unknown, key: string): HttpRequest {
  return {
    method: 'POST',
    path,
    query: {},
    headers: { ...AUTH, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
    sourceIp: '10.0.0.5',
  };
}

/** Wraps `target` so that the named method throws `times` times from now on. */
function failing<T extends object>(target: T, method: keyof T & string) {
  let left = 0;
  const proxy = new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop !== method) return (value as (...a: unknown[]) => unknown).bind(t);
      return async (...args: unknown[]) => {
        if (left > 0) {
          left -= 1;
          throw new Error(`${method}: injected failure (throttled)`);
        }
        return (value as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
  return {
    proxy,
    failNext(times = 1) {
      left = times;
    },
  };
}

function world(options: { queue?: (q: FifoQueue) => FifoQueue; store?: (s: StateStore) => StateStore } = {}) {
  const clock = new ManualClock(T0);
  const base = memoryStores(clock);
  const stores: WorldStores = {
    ...base,
    store: options.store?.(base.store) ?? base.store,
    control: options.queue?.(base.control) ?? base.control,
  };
  const w = apiWorld({ clock, stores });
  const call = createApiRouter(w.deps);
  return { w, clock, call, plain: base };
}

const STOP = '/api/emergency-stop';
const RELEASE = '/api/emergency-stop/release';

describe('API idempotency under failures at each await (audit5)', () => {
  it('I1: a release whose command could not be enqueued answers 200 with a warning and keeps its key, so a retry cannot clear a NEWER latch', async () => {
    // Was a counterexample (HIGH, safety; audit5): the release cleared the latch, then the SQS send
    // failed; requestRelease threw, the router answered 500 and freed the key, and the client's
    // retry with the same key cleared an emergency latch set meanwhile. The release now stands as a
    // success with a warning (the executor sees it at its next state poll) and is replayed.
    let queue: ReturnType<typeof failing<FifoQueue>> | undefined;
    const { w, call } = world({
      queue: (q) => {
        queue = failing(q, 'send');
        return queue.proxy;
      },
    });
    expect((await call(post(STOP, { reason: 'drawdown' }, 'stop-1'))).status).toBe(200);
    queue?.failNext();
    const first = await call(post(RELEASE, { reason: 'reviewed' }, 'rel-1'));
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).warning).toMatch(/the latch IS released.*next reads the state store/);
    expect((await w.store.getControl()).latch).toBeUndefined(); // the release took effect
    // A new trigger latches again before the client's retry.
    expect((await call(post(STOP, { reason: 'new trigger', state: 'halted' }, 'stop-2'))).status).toBe(200);
    const retry = await call(post(RELEASE, { reason: 'reviewed' }, 'rel-1'));
    expect((await w.store.getControl()).latch?.reason).toBe('new trigger');
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
  });

  it('I1/I2: an answer the store refuses once is written again, so a retry after the 60 s lease replays it (the newer latch stays)', async () => {
    // Was a counterexample (MEDIUM, safety; audit5): completeIdempotencyKey threw once (DynamoDB
    // throttling), the gate only logged it, and after IN_FLIGHT_LEASE_MS a retry took the key over
    // and ran the release again, clearing a latch set after it. The gate now writes the answer again
    // (100, 400, 1,600 ms); only a store that keeps failing leaves the claim to lapse.
    let store: ReturnType<typeof failing<StateStore>> | undefined;
    const { w, clock, call } = world({
      store: (s) => {
        store = failing(s, 'completeIdempotencyKey');
        return store.proxy;
      },
    });
    expect((await call(post(STOP, { reason: 'drawdown' }, 'stop-1'))).status).toBe(200);
    store?.failNext();
    const first = await drive(clock, call(post(RELEASE, { reason: 'reviewed' }, 'rel-2')), 100);
    expect(first.status).toBe(200);
    expect(w.logger.lines.join('\n')).not.toContain('lapses after its lease');
    expect((await call(post(STOP, { reason: 'new trigger' }, 'stop-2'))).status).toBe(200);
    clock.set((T0 + IN_FLIGHT_LEASE_MS) as EpochMs);
    const retry = await call(post(RELEASE, { reason: 'reviewed' }, 'rel-2'));
    expect((await w.store.getControl()).latch?.reason).toBe('new trigger');
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('I5: a claim that fails (store down) answers 500 and applies nothing: no latch, no command, no audit', async () => {
    let store: ReturnType<typeof failing<StateStore>> | undefined;
    const { w, call } = world({
      store: (s) => {
        store = failing(s, 'claimIdempotencyKey');
        return store.proxy;
      },
    });
    store?.failNext();
    const res = await call(post(STOP, { reason: 'down' }, 'k-down'));
    expect(res.status).toBe(500);
    expect((await w.store.getControl()).latch).toBeUndefined();
    expect(await w.drainControl()).toEqual([]);
    expect((await w.store.listAudit({ limit: 10 })).length).toBe(0);
    const again = await call(post(STOP, { reason: 'down' }, 'k-down'));
    expect(again.status).toBe(200);
    expect(await w.drainControl()).toHaveLength(1);
  });
});

describe('API idempotency: a different request under the same key (audit5)', () => {
  // Two emergency-stop bodies, one `reducing` and one `halted`, whose request fingerprints (FNV-1a,
  // 32 bits, over path + canonical JSON) are equal. Found by a birthday search of ~400 k bodies.
  const REDUCING = { reason: 'stop 36705', state: 'reducing' } as const;
  const HALTED = { reason: 'stop 1753', state: 'halted' } as const;

  it('the two bodies collide under the old 32-bit fingerprint (FNV-1a), which the API no longer uses', () => {
    const print = (b: object) =>
      fingerprint(
        `${STOP}\n{"reason":${JSON.stringify((b as { reason: string }).reason)},"state":"${(b as { state: string }).state}"}`,
      );
    expect(print(REDUCING)).toBe(print(HALTED));
  });

  it('I3: a reused key with a different body is refused 422, even when the fingerprints collide', async () => {
    // Was a counterexample (LOW: needs a reused key, and 2^-32 per pair by accident, but
    // constructible; audit5): the operator's escalation to `halted` was answered 200 with the
    // replayed `reducing` answer and never applied, so positions could still be sold while the
    // operator believed nothing traded. The request fingerprint is SHA-256 now.
    const { w, call } = world();
    expect((await call(post(STOP, REDUCING, 'same-key'))).status).toBe(200);
    const second = await call(post(STOP, HALTED, 'same-key'));
    expect(second.status).toBe(422);
    expect((await w.store.getControl()).latch?.state).toBe('reducing');
  });
});

const BACKENDS: ReadonlyArray<[string, () => Promise<{ stores: WorldStores; close(): Promise<void> }>]> = [
  ['memory', async () => ({ stores: memoryStores(new ManualClock(T0)), close: async () => {} })],
  ['DynamoDB Local', () => dynamoStores()],
];

describe.each(BACKENDS)('Idempotency clock edges on the store (%s) (audit5)', (_name, make) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function store() {
    const made = await make();
    close = made.close;
    return made.stores.store;
  }
  const claim = (s: StateStore, key: string, at: number, print = 'f1') =>
    s.claimIdempotencyKey({
      key,
      fingerprint: print,
      at: at as EpochMs,
      leaseUntil: (at + IN_FLIGHT_LEASE_MS) as EpochMs,
      expiresAt: (at + IDEMPOTENCY_KEY_TTL_MS) as EpochMs,
    });

  it('I4: an in-flight claim holds until lease − 1 ms and lapses at exactly 60 s; the lapsed holder can then neither complete nor release', async () => {
    const s = await store();
    const first = await claim(s, 'edge-lease', T0);
    expect(first.outcome).toBe('claimed');
    expect((await claim(s, 'edge-lease', T0 + IN_FLIGHT_LEASE_MS - 1)).outcome).toBe('taken');
    const second = await claim(s, 'edge-lease', T0 + IN_FLIGHT_LEASE_MS);
    expect(second.outcome).toBe('claimed');
    if (first.outcome !== 'claimed' || second.outcome !== 'claimed') return;
    expect(await s.completeIdempotencyKey('edge-lease', first.claimId, { status: 200, body: '{}' })).toBe(
      false,
    );
    expect(await s.releaseIdempotencyKey('edge-lease', first.claimId)).toBe(false);
    expect(
      await s.completeIdempotencyKey('edge-lease', second.claimId, { status: 200, body: '{"b":1}' }),
    ).toBe(true);
    expect(
      (await s.getIdempotencyKey('edge-lease', (T0 + IN_FLIGHT_LEASE_MS) as EpochMs))?.answer?.body,
    ).toBe('{"b":1}');
  });

  it('I4: a done key replays until 24 h − 1 ms (lease long past) and is free at exactly 24 h', async () => {
    const s = await store();
    const first = await claim(s, 'edge-ttl', T0);
    if (first.outcome !== 'claimed') throw new Error('not claimed');
    expect(await s.completeIdempotencyKey('edge-ttl', first.claimId, { status: 200, body: '{"a":1}' })).toBe(
      true,
    );
    const late = await claim(s, 'edge-ttl', T0 + IDEMPOTENCY_KEY_TTL_MS - 1, 'other');
    expect(late.outcome).toBe('taken');
    if (late.outcome === 'taken') expect(late.record.answer?.body).toBe('{"a":1}');
    expect(await s.getIdempotencyKey('edge-ttl', (T0 + IDEMPOTENCY_KEY_TTL_MS - 1) as EpochMs)).toBeDefined();
    expect(await s.getIdempotencyKey('edge-ttl', (T0 + IDEMPOTENCY_KEY_TTL_MS) as EpochMs)).toBeUndefined();
    expect((await claim(s, 'edge-ttl', T0 + IDEMPOTENCY_KEY_TTL_MS, 'other')).outcome).toBe('claimed');
  });
});
