import { type EpochMs, MS } from './epoch';

/** Korea Standard Time is UTC+9 all year (no daylight saving since 1988). */
export const KST_OFFSET_MS = 9 * MS.hour;

function kstParts(at: EpochMs): { y: number; m: number; d: number; weekday: number } {
  const shifted = new Date(at + KST_OFFSET_MS);
  return {
    y: shifted.getUTCFullYear(),
    m: shifted.getUTCMonth(),
    d: shifted.getUTCDate(),
    weekday: shifted.getUTCDay(),
  };
}

function kstMidnightOf(y: number, m: number, d: number): EpochMs {
  return (Date.UTC(y, m, d) - KST_OFFSET_MS) as EpochMs;
}

/** Start (00:00 KST) of the KST day containing `at`. Loss limits and daily reports use KST days. */
export function kstDayStart(at: EpochMs): EpochMs {
  const { y, m, d } = kstParts(at);
  return kstMidnightOf(y, m, d);
}

/** Start of the next KST day. */
export function nextKstDayStart(at: EpochMs): EpochMs {
  const { y, m, d } = kstParts(at);
  return kstMidnightOf(y, m, d + 1);
}

/** Start (Monday 00:00 KST) of the KST week containing `at`. */
export function kstWeekStart(at: EpochMs): EpochMs {
  const { y, m, d, weekday } = kstParts(at);
  const sinceMonday = (weekday + 6) % 7;
  return kstMidnightOf(y, m, d - sinceMonday);
}

/** Start of the next KST week (next Monday 00:00 KST). */
export function nextKstWeekStart(at: EpochMs): EpochMs {
  return (kstWeekStart(at) + 7 * MS.day) as EpochMs;
}

/** Start (1st, 00:00 KST) of the KST month containing `at`. */
export function kstMonthStart(at: EpochMs): EpochMs {
  const { y, m } = kstParts(at);
  return kstMidnightOf(y, m, 1);
}

/** Start of the next KST month. */
export function nextKstMonthStart(at: EpochMs): EpochMs {
  const { y, m } = kstParts(at);
  return kstMidnightOf(y, m + 1, 1);
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** KST calendar date `YYYY-MM-DD`; the key of daily ledgers and reports. */
export function kstDateKey(at: EpochMs): string {
  const { y, m, d } = kstParts(at);
  return `${y}-${pad(m + 1)}-${pad(d)}`;
}

/** KST week key: the Monday's date, `W2026-11-23`. */
export function kstWeekKey(at: EpochMs): string {
  return `W${kstDateKey(kstWeekStart(at))}`;
}

/** KST month key `YYYY-MM`. */
export function kstMonthKey(at: EpochMs): string {
  const { y, m } = kstParts(at);
  return `${y}-${pad(m + 1)}`;
}

/** Hour of day in KST (0–23), for pattern analysis by hour. */
export function kstHour(at: EpochMs): number {
  return new Date(at + KST_OFFSET_MS).getUTCHours();
}

/** The three loss-limit periods, keyed on the KST calendar. */
export const LossPeriod = { day: 'day', week: 'week', month: 'month' } as const;
/** One of {@link LossPeriod}. */
export type LossPeriod = (typeof LossPeriod)[keyof typeof LossPeriod];

/** Key of the period containing `at`. */
export function kstPeriodKey(period: LossPeriod, at: EpochMs): string {
  return period === 'day' ? kstDateKey(at) : period === 'week' ? kstWeekKey(at) : kstMonthKey(at);
}

/** Start of the period containing `at`. */
export function kstPeriodStart(period: LossPeriod, at: EpochMs): EpochMs {
  return period === 'day' ? kstDayStart(at) : period === 'week' ? kstWeekStart(at) : kstMonthStart(at);
}
