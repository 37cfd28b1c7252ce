import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { autoReleaseVerdict } from '../../shared/src/domain/risk/auto-release';
import {
  applyTrigger,
  autoReleaseDue,
  fatalErrorsTrip,
  latchFor,
  releaseLatch,
  stateAllows,
} from '../../shared/src/domain/risk/emergency-state';
import type { LossStatus } from '../../shared/src/domain/risk/loss-ledger';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { EmergencyLatch } from '../../shared/src/domain/trading/emergency';
import { kst } from './risk-test-kit';

const POLICY = DEFAULT_RISK_LIMITS.emergency;
const RELEASE = DEFAULT_RISK_LIMITS.release;
const CLEAN: LossStatus = {
  breaches: [],
  lossByPeriod: { day: new Decimal(0), week: new Decimal(0), month: new Decimal(0) },
  instantDrop: new Decimal(0),
};

function latch(
  trigger: EmergencyLatch['trigger'],
  at: EpochMs,
  state: EmergencyLatch['state'] = 'reducing',
): EmergencyLatch {
  return { trigger, at, state, reason: 'r', actor: 'a' };
}

describe('emergency state machine', () => {
  it('running → reducing → halted: what each state lets through', () => {
    expect(stateAllows('running', false)).toBe(true);
    expect(stateAllows('reducing', false)).toBe(false);
    expect(stateAllows('reducing', true)).toBe(true);
    expect(stateAllows('halted', true)).toBe(false);
  });

  it('latches per policy, keeps the first trigger, only escalates', () => {
    const at = kst('2026-11-25T10:00:00');
    const first = latchFor({ trigger: 'daily_loss', reason: 'x', actor: 'sys', at }, POLICY);
    expect(first.state).toBe('reducing');
    expect(latchFor({ trigger: 'invariant', reason: 'x', actor: 'sys', at }, POLICY).state).toBe('halted');
    expect(() => latchFor({ trigger: 'manual', reason: ' ', actor: 'alice', at }, POLICY)).toThrow(
      RangeError,
    );
    const halted = latch('invariant', at, 'halted');
    expect(applyTrigger(undefined, first)).toEqual({ outcome: 'set', latch: first });
    expect(applyTrigger(first, halted)).toEqual({
      outcome: 'escalated',
      latch: { ...first, state: 'halted' },
    });
    expect(applyTrigger(halted, first)).toEqual({ outcome: 'unchanged', latch: halted });
  });

  it('a release needs a latch, an actor and a reason', () => {
    const l = latch('manual', kst('2026-11-25T10:00:00'));
    const at = kst('2026-11-25T11:00:00');
    expect(releaseLatch(undefined, { actor: 'a', reason: 'r', at })).toEqual({
      ok: false,
      refusal: 'not_latched',
    });
    expect(releaseLatch(l, { actor: '', reason: 'r', at })).toEqual({ ok: false, refusal: 'missing_actor' });
    expect(releaseLatch(l, { actor: 'a', reason: '', at })).toEqual({ ok: false, refusal: 'missing_reason' });
    expect(releaseLatch(l, { actor: 'a', reason: 'r', at })).toEqual({ ok: true, released: l });
  });

  it('auto-release is due only after the KST period rolls over, per policy', () => {
    const day = latch('daily_loss', kst('2026-11-25T23:59:59'));
    expect(autoReleaseDue(day, kst('2026-11-25T23:59:59.999'), RELEASE)).toBe(false);
    expect(autoReleaseDue(day, kst('2026-11-26T00:00:00'), RELEASE)).toBe(true);
    const week = latch('weekly_loss', kst('2026-11-29T23:00:00'));
    expect(autoReleaseDue(week, kst('2026-11-30T00:00:00'), RELEASE)).toBe(false);
    expect(autoReleaseDue(week, kst('2026-11-30T00:00:00'), { ...RELEASE, weeklyAutoRelease: true })).toBe(
      true,
    );
    expect(
      autoReleaseDue(latch('manual', kst('2026-11-25T10:00:00')), kst('2026-12-25T10:00:00'), RELEASE),
    ).toBe(false);
    const instant = latch('instant_drop', kst('2026-11-25T10:00:00'));
    expect(autoReleaseDue(instant, kst('2026-11-26T00:00:00'), RELEASE)).toBe(false);
    expect(
      autoReleaseDue(instant, kst('2026-11-26T00:00:00'), { ...RELEASE, instantDropAutoRelease: true }),
    ).toBe(true);
  });

  it('the verdict also needs no breach now and nothing else fired meanwhile (fail closed)', () => {
    const day = latch('daily_loss', kst('2026-11-25T15:00:00'));
    const now = kst('2026-11-26T00:00:00');
    const own = [{ trigger: 'daily_loss' as const, periodKey: '2026-11-25' }];
    expect(autoReleaseVerdict(day, now, RELEASE, CLEAN, own, true)).toMatchObject({ release: true });
    expect(autoReleaseVerdict(day, now, RELEASE, CLEAN, own, false)).toEqual({
      release: false,
      why: 'history_unknown',
    });
    const breached: LossStatus = {
      ...CLEAN,
      breaches: [
        {
          trigger: 'daily_loss',
          periodKey: '2026-11-26',
          loss: new Decimal('0.06'),
          limit: new Decimal('0.05'),
          reference: krw('1'),
          equity: krw('1'),
        },
      ],
    };
    expect(autoReleaseVerdict(day, now, RELEASE, breached, own, true)).toEqual({
      release: false,
      why: 'still_breached',
    });
    expect(
      autoReleaseVerdict(
        day,
        now,
        RELEASE,
        CLEAN,
        [...own, { trigger: 'monthly_loss', periodKey: '2026-11' }],
        true,
      ),
    ).toEqual({ release: false, why: 'other_trigger' });
    expect(autoReleaseVerdict(day, now, RELEASE, CLEAN, [...own, { trigger: 'manual' }], true)).toEqual({
      release: false,
      why: 'other_trigger',
    });
  });

  it('fatal exchange errors trip at the threshold inside the sliding window', () => {
    const t = kst('2026-11-25T10:00:00');
    const times = [t, (t + 60_000) as EpochMs, (t + 120_000) as EpochMs];
    expect(fatalErrorsTrip(times, (t + 120_000) as EpochMs, POLICY)).toBe(true);
    expect(fatalErrorsTrip(times, (t + 300_000) as EpochMs, POLICY)).toBe(false); // first one left the window
    expect(fatalErrorsTrip(times.slice(0, 2), (t + 60_000) as EpochMs, POLICY)).toBe(false);
  });
});
