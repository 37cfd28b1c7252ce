import fc from 'fast-check';
import { type EpochMs, MS } from '../src/domain/time/epoch';
import type { IdempotencyClaimRequest, IdempotencyStore } from '../src/ports/idempotency-store';
import { T0 } from './state-builders';

const LEASE = MS.minute;
const LIFETIME = MS.day;

/** A claim of `key` at `at` with the usual lease and lifetime. */
function claimAt(key: string, at: number, fingerprint = 'fp-1'): IdempotencyClaimRequest {
  return {
    key,
    fingerprint,
    at: at as EpochMs,
    leaseUntil: (at + LEASE) as EpochMs,
    expiresAt: (at + LIFETIME) as EpochMs,
  };
}

async function claimedId(store: IdempotencyStore, request: IdempotencyClaimRequest): Promise<string> {
  const claim = await store.claimIdempotencyKey(request);
  if (claim.outcome !== 'claimed') throw new Error(`expected to claim ${request.key}`);
  return claim.claimId;
}

/**
 * The behaviour of an {@link IdempotencyStore}, part of the StateStore contract (memory fake and
 * DynamoDB Local). The races fire every claim before awaiting any, so a store that reads and then
 * writes without a condition lets two of them win.
 */
export function describeIdempotencyStoreContract(getStore: () => IdempotencyStore): void {
  describe('idempotency claims', () => {
    let store: IdempotencyStore;
    beforeEach(() => {
      store = getStore();
    });

    it('claims a key once; a second claim learns the in-flight record with its fingerprint', async () => {
      const first = await claimedId(store, claimAt('k-1', T0));
      const second = await store.claimIdempotencyKey(claimAt('k-1', T0 + 5, 'fp-2'));
      expect(second).toMatchObject({
        outcome: 'taken',
        record: { key: 'k-1', fingerprint: 'fp-1', claimId: first, state: 'in_flight', claimedAt: T0 },
      });
      expect(await store.claimIdempotencyKey(claimAt('k-2', T0))).toMatchObject({ outcome: 'claimed' });
    });

    it('lets exactly one of five concurrent claims of one key win', async () => {
      const claims = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((fp) => store.claimIdempotencyKey(claimAt('k-race', T0, fp))),
      );
      const won = claims.filter((c) => c.outcome === 'claimed');
      expect(won).toHaveLength(1);
      const stored = await store.getIdempotencyKey('k-race', T0 as EpochMs);
      for (const c of claims)
        if (c.outcome === 'taken') expect(c.record.claimId).toBe(stored?.claimId);
        else expect(c.claimId).toBe(stored?.claimId);
    });

    it('keeps the answer of a completed claim and hands it to every later claim until it expires', async () => {
      const id = await claimedId(store, claimAt('k-done', T0));
      await expect(
        store.completeIdempotencyKey('k-done', id, { status: 200, body: '{"ok":1}' }),
      ).resolves.toBe(true);
      // Past the lease a finished record is still the answer: only in-flight claims lapse.
      const later = await store.claimIdempotencyKey(claimAt('k-done', T0 + 2 * LEASE));
      expect(later).toMatchObject({
        outcome: 'taken',
        record: { state: 'done', answer: { status: 200, body: '{"ok":1}' } },
      });
      await expect(store.completeIdempotencyKey('k-done', id, { status: 500, body: '{}' })).resolves.toBe(
        false,
      );
      expect((await store.getIdempotencyKey('k-done', (T0 + 1) as EpochMs))?.answer?.status).toBe(200);
      expect(await store.getIdempotencyKey('k-done', (T0 + LIFETIME) as EpochMs)).toBeUndefined();
      expect(await store.claimIdempotencyKey(claimAt('k-done', T0 + LIFETIME))).toMatchObject({
        outcome: 'claimed',
      });
    });

    it('releases only its own in-flight claim, after which the key can be claimed again', async () => {
      const id = await claimedId(store, claimAt('k-rel', T0));
      await expect(store.releaseIdempotencyKey('k-rel', 'someone-else')).resolves.toBe(false);
      await expect(
        store.completeIdempotencyKey('k-rel', 'someone-else', { status: 200, body: '1' }),
      ).resolves.toBe(false);
      await expect(store.releaseIdempotencyKey('k-rel', id)).resolves.toBe(true);
      expect(await store.getIdempotencyKey('k-rel', T0 as EpochMs)).toBeUndefined();
      await expect(store.releaseIdempotencyKey('k-rel', id)).resolves.toBe(false);
      expect(await store.claimIdempotencyKey(claimAt('k-rel', T0 + 1, 'fp-9'))).toMatchObject({
        outcome: 'claimed',
      });
    });

    it('lets a claim take over an in-flight record past its lease; the old holder can then neither complete nor release', async () => {
      const old = await claimedId(store, claimAt('k-lease', T0));
      expect(await store.claimIdempotencyKey(claimAt('k-lease', T0 + LEASE - 1))).toMatchObject({
        outcome: 'taken',
      });
      const fresh = await claimedId(store, claimAt('k-lease', T0 + LEASE));
      expect(fresh).not.toBe(old);
      await expect(store.completeIdempotencyKey('k-lease', old, { status: 200, body: 'old' })).resolves.toBe(
        false,
      );
      await expect(store.releaseIdempotencyKey('k-lease', old)).resolves.toBe(false);
      await expect(
        store.completeIdempotencyKey('k-lease', fresh, { status: 200, body: 'new' }),
      ).resolves.toBe(true);
      const stored = await store.getIdempotencyKey('k-lease', (T0 + LEASE) as EpochMs);
      expect(stored).toMatchObject({ claimId: fresh, state: 'done', answer: { body: 'new' } });
    });

    it('keeps an answer body byte for byte (unicode, quotes, 60 kB)', async () => {
      const body = JSON.stringify({ text: '한글 "quoted" \\ \u0000 end', pad: 'x'.repeat(60_000) });
      const id = await claimedId(store, claimAt('k-body', T0));
      await store.completeIdempotencyKey('k-body', id, { status: 409, body });
      expect((await store.getIdempotencyKey('k-body', T0 as EpochMs))?.answer).toEqual({ status: 409, body });
    });

    it('under any interleaving of claims, completions and releases, at most one claim holds a key and a done answer never changes', async () => {
      type Step = { kind: 'claim' | 'complete' | 'release'; key: number; holder: number; dt: number };
      const step: fc.Arbitrary<Step> = fc.record({
        kind: fc.constantFrom('claim', 'complete', 'release'),
        key: fc.integer({ min: 0, max: 1 }),
        holder: fc.integer({ min: 0, max: 3 }),
        dt: fc.integer({ min: 0, max: LEASE / 2 }),
      });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { maxLength: 6 }),
          async (rounds) => {
            run += 1;
            const keyOf = (k: number) => `k-prop-${run}-${k}`;
            const ids: string[][] = [[], []];
            const done = new Map<string, string>(); // key → answer body once done
            let now: number = T0;
            for (const round of rounds) {
              const wins = [0, 0];
              const releases = [0, 0];
              // One round's steps run concurrently, as calls in flight together do.
              await Promise.all(
                round.map(async (s) => {
                  const key = keyOf(s.key);
                  const mine = ids[s.key] ?? [];
                  const id = mine[s.holder % Math.max(1, mine.length)];
                  if (s.kind === 'claim') {
                    const c = await store.claimIdempotencyKey(claimAt(key, now, `fp-${s.holder}`));
                    if (c.outcome === 'claimed') {
                      wins[s.key] = (wins[s.key] ?? 0) + 1;
                      mine.push(c.claimId);
                    }
                  } else if (id !== undefined && s.kind === 'complete') {
                    if (await store.completeIdempotencyKey(key, id, { status: 200, body: id }))
                      done.set(key, id);
                  } else if (id !== undefined && (await store.releaseIdempotencyKey(key, id))) {
                    releases[s.key] = (releases[s.key] ?? 0) + 1;
                  }
                }),
              );
              for (const k of [0, 1]) {
                // Claims at one instant win once per free slot: the first, plus one after each release.
                expect(wins[k]).toBeLessThanOrEqual(1 + (releases[k] ?? 0));
                const stored = await store.getIdempotencyKey(keyOf(k), now as EpochMs);
                const answer = done.get(keyOf(k));
                // A done answer stays put: nothing completes, releases or takes over a finished key.
                if (answer !== undefined) expect(stored?.answer?.body).toBe(answer);
                if (stored !== undefined) expect(ids[k]).toContain(stored.claimId);
              }
              now += round.reduce((sum, s) => sum + s.dt, 0);
            }
            // Every successful claim had a distinct id: no two callers ever believed they held the same claim.
            for (const list of ids) expect(new Set(list).size).toBe(list.length);
          },
        ),
        { seed: 20261205, numRuns: 25 },
      );
    });
  });
}
