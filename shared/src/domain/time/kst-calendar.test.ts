import type { EpochMs } from './epoch';
import {
  kstDateKey,
  kstDayStart,
  kstHour,
  kstMonthKey,
  kstMonthStart,
  kstWeekKey,
  kstWeekStart,
  nextKstDayStart,
  nextKstMonthStart,
  nextKstWeekStart,
} from './kst-calendar';

const kst = (local: string) => Date.parse(`${local}+09:00`) as EpochMs;

describe('KST calendar', () => {
  it('splits days at 00:00 KST (15:00 UTC the day before)', () => {
    expect(kstDateKey(kst('2026-11-25T23:59:59.999'))).toBe('2026-11-25');
    expect(kstDateKey(kst('2026-11-26T00:00:00'))).toBe('2026-11-26');
    expect(kstDayStart(kst('2026-11-25T23:59:59'))).toBe(Date.parse('2026-11-24T15:00:00Z'));
    expect(nextKstDayStart(kst('2026-11-25T00:00:00'))).toBe(kst('2026-11-26T00:00:00'));
    expect(kstHour(Date.parse('2026-11-25T15:30:00Z') as EpochMs)).toBe(0);
  });

  it('starts weeks on Monday 00:00 KST', () => {
    // 2026-11-29 is a Sunday, 2026-11-30 a Monday.
    expect(kstWeekKey(kst('2026-11-29T23:59:59'))).toBe('W2026-11-23');
    expect(kstWeekKey(kst('2026-11-30T00:00:00'))).toBe('W2026-11-30');
    expect(kstWeekStart(kst('2026-11-25T12:00:00'))).toBe(kst('2026-11-23T00:00:00'));
    expect(nextKstWeekStart(kst('2026-11-29T23:59:59'))).toBe(kst('2026-11-30T00:00:00'));
  });

  it('handles month ends including February (leap and not) and the 31st', () => {
    expect(kstMonthKey(kst('2026-01-31T23:59:59'))).toBe('2026-01');
    expect(kstMonthKey(kst('2026-02-01T00:00:00'))).toBe('2026-02');
    expect(nextKstMonthStart(kst('2026-02-15T00:00:00'))).toBe(kst('2026-03-01T00:00:00'));
    expect(kstDateKey(kst('2028-02-29T12:00:00'))).toBe('2028-02-29');
    expect(nextKstDayStart(kst('2028-02-28T12:00:00'))).toBe(kst('2028-02-29T00:00:00'));
    expect(nextKstDayStart(kst('2027-02-28T12:00:00'))).toBe(kst('2027-03-01T00:00:00'));
    expect(kstMonthStart(kst('2026-12-31T23:59:59'))).toBe(kst('2026-12-01T00:00:00'));
    expect(nextKstMonthStart(kst('2026-12-31T23:59:59'))).toBe(kst('2027-01-01T00:00:00'));
  });

  it('crosses a year on the week that spans it', () => {
    // 2026-12-31 is a Thursday: its week began Monday 2026-12-28.
    expect(kstWeekKey(kst('2027-01-01T09:00:00'))).toBe('W2026-12-28');
  });
});
