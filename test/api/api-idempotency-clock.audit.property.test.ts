import fc from 'fast-check';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { createApiRouter } from '../../shared/src/application/api/api-router';
import type { HttpRequest } from '../../shared/src/application/api/http-types';
import {
  IDEMPOTENCY_KEY_TTL_MS,
  IN_FLIGHT_LEASE_MS,
} from '../../shared/src/application/api/idempotency-gate';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { T0 } from '../../shared/testing/state-builders';
import { AUTH, apiWorld } from './support/api-world';

/*
 * Adversarial review (audit5): Idempotency-Key over sequences of calls with clock jumps onto the
 * lease and TTL edges (0, 1 ms, 60 s − 1 ms, 60 s, 24 h − 1 ms, 24 h, 24 h + 1 ms). Claim I6 against a
 * reference model: per key, a call runs (one audited effect) iff the key is new or its first run
 * was ≥ 24 h ago; otherwise the same request is replayed (byte-identical answer, nothing applied)
 * and another request under the key is refused 422 (nothing applied).
 */

const KEYS = ['k-1', 'k-2', 'k-3'] as const;
const REASONS = ['drawdown', 'feed stale', 'manual check'] as const;
const JUMPS = [
  0,
  1,
  IN_FLIGHT_LEASE_MS - 1,
  IN_FLIGHT_LEASE_MS,
  IDEMPOTENCY_KEY_TTL_MS - 1,
  IDEMPOTENCY_KEY_TTL_MS,
  IDEMPOTENCY_KEY_TTL_MS + 1,
] as const;

const call = fc.record({
  key: fc.constantFrom(...KEYS),
  reason: fc.constantFrom(...REASONS),
  route: fc.constantFrom('/api/emergency-stop', '/api/close-all-positions'),
  jump: fc.constantFrom(...JUMPS),
});

function post(path: string, reason: string, key: string): HttpRequest {
  return {
    method: 'POST',
    path,
    query: {},
    headers: { ...AUTH, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ reason }),
  };
}

describe('Idempotency-Key over clock jumps onto the lease and TTL edges (audit5)', () => {
  it('I6: runs, replays and 422s exactly as the 24 h model says; only runs apply anything', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 25 }), async (calls) => {
        const clock = new ManualClock(T0);
        const world = apiWorld({ clock });
        const router = createApiRouter(world.deps);
        // Model: per route and key, the first run's time, request and answer.
        const model = new Map<string, { at: number; request: string; body: string }>();
        let audited = 0;
        for (const c of calls) {
          clock.set((clock.now() + c.jump) as EpochMs);
          const res = await router(post(c.route, c.reason, c.key));
          const now = clock.now();
          const id = `${c.route} ${c.key}`;
          const seen = model.get(id);
          const audits = (await world.store.listAudit({ limit: 1_000 })).filter(
            (e) => e.action === 'api_request',
          ).length;
          if (seen === undefined || now >= seen.at + IDEMPOTENCY_KEY_TTL_MS) {
            expect(res.status).toBe(200);
            expect(res.headers['idempotent-replayed']).toBeUndefined();
            expect(audits).toBe(audited + 1);
            model.set(id, { at: now, request: c.reason, body: res.body });
          } else if (seen.request === c.reason) {
            expect(res.headers['idempotent-replayed']).toBe('true');
            expect(res.body).toBe(seen.body);
            expect(audits).toBe(audited);
          } else {
            expect(res.status).toBe(422);
            expect(audits).toBe(audited);
          }
          audited = audits;
        }
      }),
      { seed: 520261205, numRuns: 150 },
    );
  });
});
