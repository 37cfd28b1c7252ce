import { releaseEmergency } from '../../shared/src/application/emergency/release-emergency';
import { triggerEmergency } from '../../shared/src/application/emergency/trigger-emergency';
import { checkLossLimits } from '../../shared/src/application/risk/check-loss-limits';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { krw } from '../../shared/src/domain/money/quantities';
import {
  advanceLedgers,
  evaluateLossLimits,
  ledgerEntryAt,
  openLedgerEntry,
} from '../../shared/src/domain/risk/loss-ledger';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../shared/src/domain/risk/risk-limits';
import { dec, fillOf } from '../../shared/src/domain/risk/testing/risk-builders';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { credential, type Harness, harness, kst } from './risk-test-kit';

const E0 = krw('10000000');

/** Ledger-level boundary cases: [last instant of a period, first instant of the next, which periods roll]. */
const BOUNDARIES: readonly [string, string, string, readonly string[]][] = [
  ['day 23:59:59 → 00:00:00 KST', '2026-11-25T23:59:59.999', '2026-11-26T00:00:00', ['day']],
  ['Sunday → Monday (new week)', '2026-11-29T23:59:59.999', '2026-11-30T00:00:00', ['day', 'week']],
  ['February end (28 days, 2026)', '2026-02-28T23:59:59.999', '2026-03-01T00:00:00', ['day', 'month']],
  ['leap February end (29th, 2028)', '2028-02-29T23:59:59.999', '2028-03-01T00:00:00', ['day', 'month']],
  ['31st → 1st (Jan → Feb)', '2026-01-31T23:59:59.999', '2026-02-01T00:00:00', ['day', 'month']],
  ['31st → 1st (Aug → Sep)', '2026-08-31T23:59:59.999', '2026-09-01T00:00:00', ['day', 'month']],
  [
    'Sunday 31 Dec 2028 → Monday 1 Jan 2029 (all three)',
    '2028-12-31T23:59:59.999',
    '2029-01-01T00:00:00',
    ['day', 'week', 'month'],
  ],
];

describe('loss ledger at KST boundaries', () => {
  it.each(BOUNDARIES)('%s', (_name, before, after, periods) => {
    const last = kst(before);
    const first = kst(after);
    const opened = advanceLedgers({}, last, E0).ledgers;
    // Still the same periods one millisecond before the boundary…
    const same = advanceLedgers(opened, last, krw('9000000'));
    expect(same.rolled).toEqual([]);
    // …and exactly the listed ones roll at 00:00:00 KST, starting from the equity then.
    const next = advanceLedgers(same.ledgers, first, krw('9000000'));
    expect([...next.rolled].sort()).toEqual([...periods].sort());
    for (const p of ['day', 'week', 'month'] as const) {
      const expectedStart = periods.includes(p) ? '9000000' : '10000000';
      expect(next.ledgers[p].startEquity.toFixed()).toBe(expectedStart);
    }
  });

  it('UTC instants map to KST days: 14:59:59 UTC is still the same KST day, 15:00 UTC is the next', () => {
    const a = openLedgerEntry('day', Date.parse('2026-11-25T14:59:59.999Z') as EpochMs, E0);
    const b = ledgerEntryAt(a, 'day', Date.parse('2026-11-25T15:00:00Z') as EpochMs, E0);
    expect(a.periodKey).toBe('2026-11-25');
    expect(b).toMatchObject({ rolled: true, entry: { periodKey: '2026-11-26' } });
  });

  it('a −5 % day at 23:59:59 is a breach; the same equity at 00:00:00 starts a clean day', () => {
    const day = advanceLedgers({}, kst('2026-11-25T00:00:00'), E0).ledgers;
    const down = krw('9500000');
    const late = advanceLedgers(day, kst('2026-11-25T23:59:59'), down);
    expect(
      evaluateLossLimits(late.ledgers, down, DEFAULT_RISK_LIMITS.loss).breaches.map((b) => b.trigger),
    ).toEqual(['instant_drop', 'daily_loss']);
    const midnight = advanceLedgers(late.ledgers, kst('2026-11-26T00:00:00'), down);
    const status = evaluateLossLimits(midnight.ledgers, down, DEFAULT_RISK_LIMITS.loss);
    expect(status.breaches).toEqual([]);
    expect(status.lossByPeriod.day.toNumber()).toBe(0);
    expect(status.lossByPeriod.week.toNumber()).toBeCloseTo(0.05, 12);
  });

  it('books a fill at 23:59:59.999 into the old day and one at 00:00:00 into the new day', async () => {
    const h = harness(kst('2026-11-25T12:00:00'));
    await recordFill(
      h.store,
      fillOf({ side: 'bid', price: '100000000', volume: '0.01', at: kst('2026-11-25T12:00:00') }),
      E0,
    );
    const sell = fillOf({
      side: 'ask',
      price: '101000000',
      volume: '0.005',
      at: kst('2026-11-25T23:59:59.999'),
    });
    const r1 = await recordFill(h.store, sell, E0);
    const sell2 = fillOf({ side: 'ask', price: '99000000', volume: '0.005', at: kst('2026-11-26T00:00:00') });
    const r2 = await recordFill(h.store, sell2, E0);
    const d25 = await h.store.getLedgerEntry('2026-11-25');
    const d26 = await h.store.getLedgerEntry('2026-11-26');
    const week = await h.store.getLedgerEntry('W2026-11-23');
    expect(r1.outcome === 'applied' && d25?.realizedPnl.eq(r1.effect.realizedPnl)).toBe(true);
    expect(r2.outcome === 'applied' && d26?.realizedPnl.eq(r2.effect.realizedPnl)).toBe(true);
    expect(d25?.fills).toBe(2);
    expect(d26?.fills).toBe(1);
    expect(week?.fills).toBe(3);
  });
});

const LIMITS = DEFAULT_RISK_LIMITS;
const BASE = { limits: LIMITS, rules: KRW_MARKET_RULES } as const;

async function check(h: Harness, equity: string, limits: RiskLimits = LIMITS) {
  return checkLossLimits(h.deps, { equity: krw(equity), limits, rules: KRW_MARKET_RULES });
}

/** Instant drop set above daily so the daily limit is the one that latches. */
const DAILY_FIRST: RiskLimits = {
  ...LIMITS,
  loss: { ...LIMITS.loss, instantDrop: LIMITS.loss.daily.plus('0.01') },
};

describe('checkLossLimits: latching and roll-over release', () => {
  it('latches on the instant drop with the period key, and the instant latch needs an operator', async () => {
    const h = harness(kst('2026-11-25T09:00:00'));
    await check(h, '10000000');
    h.clock.set(kst('2026-11-25T09:01:00'));
    const r = await check(h, '9700000');
    expect(r.trigger?.latch).toMatchObject({ trigger: 'instant_drop', state: 'reducing' });
    h.clock.set(kst('2026-11-26T00:00:00'));
    const next = await check(h, '9700000');
    expect(next.released).toBe(false);
    expect(next.autoRelease).toEqual({ release: false, why: 'not_due' });
  });

  it('auto-releases a daily latch at 00:00:00 KST (configured), not at 23:59:59', async () => {
    const h = harness(kst('2026-11-25T00:00:00'));
    await check(h, '10000000', DAILY_FIRST);
    h.clock.set(kst('2026-11-25T15:00:00'));
    const hit = await check(h, '9500000', DAILY_FIRST);
    expect(hit.trigger?.latch.trigger).toBe('daily_loss');
    h.clock.set(kst('2026-11-25T23:59:59'));
    expect((await check(h, '9600000', DAILY_FIRST)).released).toBe(false);
    h.clock.set(kst('2026-11-26T00:00:00'));
    const midnight = await check(h, '9600000', DAILY_FIRST);
    expect(midnight.rolled).toContain('day');
    expect(midnight.released).toBe(true);
    expect((await h.store.getControl()).latch).toBeUndefined();
    const [audit] = await h.store.listAudit({ limit: 1 });
    expect(audit).toMatchObject({ action: 'emergency_release', actor: 'system:auto-release' });
    expect(String(audit?.details.reason)).toContain('2026-11-25');
    expect(h.notifier.sent.at(-1)?.text.en).toContain('RELEASED');
  });

  it('keeps a daily latch when daily auto-release is off', async () => {
    const off: RiskLimits = { ...DAILY_FIRST, release: { ...DAILY_FIRST.release, dailyAutoRelease: false } };
    const h = harness(kst('2026-11-25T00:00:00'));
    await check(h, '10000000', off);
    await check(h, '9500000', off);
    h.clock.set(kst('2026-11-26T00:00:00'));
    expect((await check(h, '9600000', off)).autoRelease).toEqual({ release: false, why: 'not_due' });
  });

  it('does not auto-release when a manual stop was requested during the daily latch', async () => {
    const h = harness(kst('2026-11-25T00:00:00'));
    await check(h, '10000000', DAILY_FIRST);
    await check(h, '9500000', DAILY_FIRST);
    await triggerEmergency(h.deps, { ...BASE, trigger: 'manual', reason: 'investigate', actor: 'alice' });
    h.clock.set(kst('2026-11-26T00:00:00'));
    const r = await check(h, '9600000', DAILY_FIRST);
    expect(r.autoRelease).toEqual({ release: false, why: 'other_trigger' });
    expect((await h.store.getControl()).latch).toBeDefined();
  });

  it('a weekly breach during a daily latch keeps it past Sunday → Monday (weekly needs an operator)', async () => {
    const h = harness(kst('2026-11-23T00:00:00')); // Monday
    await check(h, '10000000', DAILY_FIRST);
    h.clock.set(kst('2026-11-28T00:00:00')); // Saturday: new day starts at 9,400,000
    await check(h, '9400000', DAILY_FIRST);
    h.clock.set(kst('2026-11-28T12:00:00'));
    const hit = await check(h, '8900000', DAILY_FIRST); // day −5.3 %, week −11 %
    expect(hit.trigger?.latch.trigger).toBe('weekly_loss');
    h.clock.set(kst('2026-11-29T23:59:59')); // Sunday night
    expect((await check(h, '9000000', DAILY_FIRST)).released).toBe(false);
    h.clock.set(kst('2026-11-30T00:00:00')); // Monday: new week
    const monday = await check(h, '9000000', DAILY_FIRST);
    expect(monday.rolled).toEqual(['day', 'week']);
    expect(monday.autoRelease).toEqual({ release: false, why: 'not_due' });
    expect((await h.store.getControl()).latch?.trigger).toBe('weekly_loss');
  });

  it('records a weekly breach that happens while a daily latch is set, and refuses the daily auto-release', async () => {
    const h = harness(kst('2026-11-27T00:00:00')); // Friday
    await check(h, '10000000', DAILY_FIRST);
    h.clock.set(kst('2026-11-27T10:00:00'));
    expect((await check(h, '9500000', DAILY_FIRST)).trigger?.latch.trigger).toBe('daily_loss');
    h.clock.set(kst('2026-11-27T11:00:00'));
    await check(h, '8900000', DAILY_FIRST); // weekly −11 % while latched: audited, latch unchanged
    h.clock.set(kst('2026-11-28T00:00:00'));
    const r = await check(h, '9200000', DAILY_FIRST); // new day, week now −8 %: no breach
    expect(r.status.breaches).toEqual([]);
    expect(r.autoRelease).toEqual({ release: false, why: 'other_trigger' });
  });

  it('a monthly latch on the 31st stays latched on the 1st; only an operator release clears it', async () => {
    const monthlyFirst: RiskLimits = {
      ...LIMITS,
      loss: { ...LIMITS.loss, instantDrop: dec('0.5'), daily: dec('0.5'), weekly: dec('0.5') },
    };
    const h = harness(kst('2026-12-01T00:00:00'));
    await check(h, '10000000', monthlyFirst);
    h.clock.set(kst('2026-12-31T23:59:59'));
    expect((await check(h, '8400000', monthlyFirst)).trigger?.latch.trigger).toBe('monthly_loss');
    h.clock.set(kst('2027-01-01T00:00:00'));
    const jan = await check(h, '8400000', monthlyFirst);
    expect(jan.rolled).toEqual(['day', 'month']);
    expect(jan.released).toBe(false);
    const rel = await releaseEmergency(h.deps, {
      credential: credential(),
      reason: 'reviewed December losses',
    });
    expect(rel.ok).toBe(true);
  });

  it('monthly auto-release when configured: released on the 1st of March after a February breach', async () => {
    const cfg: RiskLimits = {
      ...LIMITS,
      loss: { ...LIMITS.loss, instantDrop: dec('0.5'), daily: dec('0.5'), weekly: dec('0.5') },
      release: { ...LIMITS.release, monthlyAutoRelease: true },
    };
    const h = harness(kst('2026-02-01T00:00:00'));
    await check(h, '10000000', cfg);
    h.clock.set(kst('2026-02-28T23:00:00'));
    expect((await check(h, '8500000', cfg)).trigger?.latch.trigger).toBe('monthly_loss');
    h.clock.set(kst('2026-02-28T23:59:59'));
    expect((await check(h, '8600000', cfg)).released).toBe(false);
    h.clock.set(kst('2026-03-01T00:00:00'));
    expect((await check(h, '8600000', cfg)).released).toBe(true);
  });
});
