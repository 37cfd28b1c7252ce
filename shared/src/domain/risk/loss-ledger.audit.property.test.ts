import fc from 'fast-check';
import { Decimal } from '../money/decimal';
import { approximately } from '../money/decimal-units';
import { type Krw, krw } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import type { LossPeriod } from '../time/kst-calendar';
import type { RiskLedgerEntry } from '../trading/risk-ledger';
import {
  advanceLedgers,
  evaluateLossLimits,
  type LedgerSet,
  lossBreaches,
  noBreachAbove,
  openLedgerEntry,
} from './loss-ledger';
import type { LossLimits } from './risk-limits';

/*
 * Audit (issue 16 follow-up): the loss limits and their KST periods against independent references.
 * A limit L with reference R is breached when (R − E) / R ≥ L, decided here in BigInt as
 * R − E ≥ L · R (R > 0); the fast decision (lossBreaches, doubles unless close), the decimal one
 * (evaluateLossLimits) and the "no breach above" shortcut must agree with it at and around every
 * boundary equity R · (1 − L). KST day/week/month keys come from a civil-date algorithm on integer
 * days (no Date), at every boundary ± 1 ms.
 */

const RUNS = { seed: 20261205, numRuns: 1500 } as const;
const SCALE = 40;
const ONE = 10n ** BigInt(SCALE);

function big(d: Decimal): bigint {
  const [int = '0', frac = ''] = d.abs().toFixed(SCALE).split('.');
  expect(d.decimalPlaces()).toBeLessThanOrEqual(SCALE);
  const n = BigInt(int) * ONE + BigInt(frac.padEnd(SCALE, '0'));
  return d.isNegative() ? -n : n;
}

/** Exact: the loss from `reference` to `equity` reaches `limit`. */
function reaches(reference: Decimal, equity: Decimal, limit: Decimal): boolean {
  const r = big(reference);
  const e = big(equity);
  const l = big(limit);
  if (r <= 0n) return l <= 0n;
  return (r - e) * ONE >= l * r;
}

const amount = fc.oneof(
  fc.integer({ min: 1, max: 10 ** 9 }).map((n) => new Decimal(n).times(1000)),
  fc.bigInt({ min: 1n, max: 10n ** 33n }).map((n) => new Decimal(`${n}e-20`)),
  fc.constantFrom('0', '-5000', '1', '10000000', '0.00000001').map((t) => new Decimal(t)),
);
const limit = fc.oneof(
  fc.constantFrom('0', '0.01', '0.02', '0.03', '0.05', '0.1', '0.15', '0.3333333333333333333', '1', '1.5'),
  fc.integer({ min: 1, max: 9999 }).map((n) => new Decimal(n).div(10_000).toFixed()),
);
const nudge = fc.constantFrom('0', '1e-20', '-1e-20', '1e-12', '-1e-12', '0.01', '-0.01', '1', '-1', '1000');

function entry(period: LossPeriod, start: Decimal, peak: Decimal): RiskLedgerEntry {
  return { ...openLedgerEntry(period, 0 as EpochMs, krw(start)), peakEquity: krw(peak) };
}

describe('audit: loss limits against an exact BigInt decision', () => {
  it('fast, decimal and shortcut decisions agree with R − E ≥ L · R at every boundary', () => {
    let breached = 0;
    fc.assert(
      fc.property(
        fc.tuple(amount, amount, amount, amount),
        fc.tuple(limit, limit, limit, limit),
        fc.boolean(),
        fc.nat(3),
        nudge,
        ([day, week, month, peakExtra], [d, w, m, i], peakRef, pick, n) => {
          const peak = day.plus(peakExtra.abs());
          const ledgers: LedgerSet = {
            day: entry('day', day, peak),
            week: entry('week', week, week),
            month: entry('month', month, month),
          };
          const limits: LossLimits = {
            daily: new Decimal(d),
            weekly: new Decimal(w),
            monthly: new Decimal(m),
            instantDrop: new Decimal(i),
            instantDropReference: peakRef ? 'intraday_peak' : 'day_start',
          };
          const instantRef = peakRef ? (peak.gt(day) ? peak : day) : day;
          // Equity on one limit's boundary R · (1 − L), nudged.
          const [r, l] = (
            [
              [instantRef, limits.instantDrop],
              [month, limits.monthly],
              [week, limits.weekly],
              [day, limits.daily],
            ] as const
          )[pick] as readonly [Decimal, Decimal];
          const equity = krw(r.times(new Decimal(1).minus(l)).plus(n));
          const want = [
            reaches(instantRef, equity, limits.instantDrop) ? 'instant_drop' : '',
            reaches(month, equity, limits.monthly) ? 'monthly_loss' : '',
            reaches(week, equity, limits.weekly) ? 'weekly_loss' : '',
            reaches(day, equity, limits.daily) ? 'daily_loss' : '',
          ].filter((t) => t !== '');
          if (want.length > 0) breached += 1;
          expect(lossBreaches(ledgers, equity, limits).map((b) => b.trigger)).toEqual(want);
          expect(evaluateLossLimits(ledgers, equity, limits).breaches.map((b) => b.trigger)).toEqual(want);
          const y = approximately(equity);
          if (y - 1e-12 * Math.abs(y) > noBreachAbove(ledgers, limits)) expect(want).toEqual([]);
        },
      ),
      RUNS,
    );
    expect(breached).toBeGreaterThan(400);
  });
});

// Civil date of a day count since 1970-01-01 (H. Hinnant's days → civil algorithm), no Date.
function civil(z0: number): { y: number; m: number; d: number } {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}
const pad = (n: number) => String(n).padStart(2, '0');
function refKey(period: LossPeriod, at: number): string {
  const day = Math.floor((at + 9 * 3_600_000) / 86_400_000);
  if (period === 'week') {
    const monday = day - ((day + 3) % 7); // 1970-01-01 was a Thursday
    const c = civil(monday);
    return `W${c.y}-${pad(c.m)}-${pad(c.d)}`;
  }
  const c = civil(day);
  return period === 'day' ? `${c.y}-${pad(c.m)}-${pad(c.d)}` : `${c.y}-${pad(c.m)}`;
}

describe('audit: KST loss periods', () => {
  it('roll exactly at KST midnight, Monday and the 1st (± 1 ms), keeping the stored entry inside', () => {
    // KST midnights from 2020 to 2035, each ± 1 ms, and random instants.
    const instant = fc.oneof(
      fc
        .tuple(fc.integer({ min: 18_262, max: 24_107 }), fc.constantFrom(-1, 0, 1))
        .map(([day, ms]) => day * 86_400_000 - 9 * 3_600_000 + ms),
      fc.integer({ min: 1_577_836_800_000, max: 2_082_758_400_000 }),
    );
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 40 * 86_400_000 }), (at, later) => {
        const equity: Krw = krw('1000000');
        const first = advanceLedgers({}, at as EpochMs, equity).ledgers;
        for (const p of ['day', 'week', 'month'] as const) expect(first[p].periodKey).toBe(refKey(p, at));
        const next = at + (later % 3 === 0 ? 1 : later);
        const { ledgers, rolled } = advanceLedgers(first, next as EpochMs, krw('900000'));
        for (const p of ['day', 'week', 'month'] as const) {
          const changed = refKey(p, next) !== refKey(p, at);
          expect(rolled.includes(p)).toBe(changed);
          expect(ledgers[p].periodKey).toBe(refKey(p, next));
          // A roll starts from the equity now; otherwise the period keeps its start.
          expect(ledgers[p].startEquity.toFixed()).toBe(changed ? '900000' : '1000000');
        }
      }),
      RUNS,
    );
  });
});
