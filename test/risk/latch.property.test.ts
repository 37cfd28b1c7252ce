import fc from 'fast-check';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { AUTO_RELEASE_ACTOR } from '../../shared/src/application/emergency/auto-release-latch';
import { releaseEmergency } from '../../shared/src/application/emergency/release-emergency';
import { triggerEmergency } from '../../shared/src/application/emergency/trigger-emergency';
import { checkLossLimits } from '../../shared/src/application/risk/check-loss-limits';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { krw } from '../../shared/src/domain/money/quantities';
import { autoReleaseAllowed, lossPeriodOf } from '../../shared/src/domain/risk/emergency-state';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../shared/src/domain/risk/risk-limits';
import { invariant } from '../../shared/src/domain/risk/testing/risk-builders';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { kstPeriodKey } from '../../shared/src/domain/time/kst-calendar';
import { type EmergencyLatch, EmergencyTrigger } from '../../shared/src/domain/trading/emergency';
import { credential, type Harness, harness, kst, OPERATOR_TOKEN } from './risk-test-kit';

const START = kst('2026-11-29T20:00:00'); // Sunday evening: day, week (and month, with long waits) roll over.
const TRIGGERS = Object.values(EmergencyTrigger);
const RANK = { reducing: 1, halted: 2 } as const;

const actionArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('trigger' as const),
      trigger: fc.constantFrom(...TRIGGERS),
      state: fc.constantFrom(undefined, 'reducing' as const, 'halted' as const),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('check' as const),
      // Equity in 10,000 KRW steps around the 10,000,000 start: gains, −3 %, −5 %, −10 %, −15 % and deeper.
      equity: fc.integer({ min: 700, max: 1100 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.oneof(
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.integer({ min: 3_600_000, max: 4 * 86_400_000 }),
        fc.constant(86_400_000),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('release' as const),
      token: fc.constantFrom(OPERATOR_TOKEN, 'wrong', '', `${OPERATOR_TOKEN} `),
      reason: fc.constantFrom('checked and safe', '', '   '),
    }),
  },
);

const policyArb = fc.record({
  instantDropAutoRelease: fc.boolean(),
  dailyAutoRelease: fc.boolean(),
  weeklyAutoRelease: fc.boolean(),
  monthlyAutoRelease: fc.boolean(),
});

function sameLatchOrStricter(before: EmergencyLatch, after: EmergencyLatch | undefined): boolean {
  return (
    after !== undefined &&
    after.trigger === before.trigger &&
    after.reason === before.reason &&
    after.actor === before.actor &&
    after.at === before.at &&
    RANK[after.state] >= RANK[before.state]
  );
}

describe('the emergency latch (property, through the use cases and the memory store)', () => {
  it('never clears without an authenticated release or a legitimate period roll-over release', async () => {
    const seen = { set: 0, operatorReleases: 0, autoReleases: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        policyArb,
        fc.array(actionArb, { minLength: 1, maxLength: 14 }),
        async (release, actions) => {
          const limits: RiskLimits = { ...DEFAULT_RISK_LIMITS, release };
          const base = { limits, rules: KRW_MARKET_RULES } as const;
          const store = new MemoryStateStore();
          let h: Harness = harness(START, store);
          let now = START as number;
          for (const a of actions) {
            const before = (await store.getControl()).latch;
            const auditBefore = (await store.listAudit({ limit: 10_000 })).length;
            let operatorRelease = false;
            let autoRelease = false;
            if (a.kind === 'wait') {
              now += a.ms;
              h.clock.set(now);
            } else if (a.kind === 'restart') {
              h = harness(now as EpochMs, store);
            } else if (a.kind === 'trigger') {
              await triggerEmergency(h.deps, {
                ...base,
                trigger: a.trigger,
                reason: `random ${a.trigger}`,
                actor: 'system:property',
                ...(a.state === undefined ? {} : { state: a.state }),
              });
            } else if (a.kind === 'check') {
              const r = await checkLossLimits(h.deps, { ...base, equity: krw(String(a.equity * 10_000)) });
              autoRelease = r.released;
            } else {
              const r = await releaseEmergency(h.deps, { credential: credential(a.token), reason: a.reason });
              operatorRelease = r.ok;
              if (!r.ok) seen.refused += 1;
              // Only the exact token with a non-blank reason may succeed, and only when latched.
              invariant(
                r.ok === (a.token === OPERATOR_TOKEN && a.reason.trim() !== '' && before !== undefined),
                'release succeeds exactly for valid credentials, a reason and a set latch',
              );
            }
            const after = (await store.getControl()).latch;
            const audit = await store.listAudit({ limit: 10_000 });
            if (before === undefined) {
              if (after !== undefined) seen.set += 1;
              continue;
            }
            if (after !== undefined) {
              invariant(
                sameLatchOrStricter(before, after),
                'a set latch keeps its trigger and only escalates',
              );
              continue;
            }
            // The latch cleared: it must be one release, audited, by the operator or by a due roll-over.
            const releases = audit
              .slice(0, audit.length - auditBefore)
              .filter((e) => e.action === 'emergency_release');
            invariant(releases.length === 1, 'every clearing writes exactly one release audit entry');
            if (operatorRelease) {
              invariant(
                releases[0]?.actor === 'alice',
                'operator release is recorded with the operator name',
              );
              seen.operatorReleases += 1;
              continue;
            }
            invariant(autoRelease, 'nothing but a release or the roll-over check clears the latch');
            invariant(releases[0]?.actor === AUTO_RELEASE_ACTOR, 'auto-release is recorded as such');
            const period = lossPeriodOf(before.trigger);
            invariant(
              period !== undefined && autoReleaseAllowed(before.trigger, release),
              'only a loss latch whose auto-release is configured lifts itself',
            );
            invariant(
              kstPeriodKey(period ?? 'day', now as EpochMs) !== kstPeriodKey(period ?? 'day', before.at),
              'only after its KST period has rolled over',
            );
            seen.autoReleases += 1;
          }
        },
      ),
      { numRuns: 10_000 },
    );
    // Not vacuous: latches were set, and both kinds of release and refusals happened.
    expect(seen.set).toBeGreaterThan(100);
    expect(seen.operatorReleases).toBeGreaterThan(100);
    expect(seen.autoReleases).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(100);
  });
});
