import type { Krw } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import type { LossPeriod } from '../time/kst-calendar';

/**
 * Running totals for one KST loss-limit period (day, week or month). Loss limits compare equity
 * against `startEquity`; the instant −3 % rule also uses `peakEquity`.
 */
export interface RiskLedgerEntry {
  readonly period: LossPeriod;
  /** `2026-11-25`, `W2026-11-23` or `2026-11` (see kst-calendar). */
  readonly periodKey: string;
  readonly startEquity: Krw;
  readonly peakEquity: Krw;
  readonly realizedPnl: Krw;
  readonly fees: Krw;
  readonly fills: number;
  readonly updatedAt: EpochMs;
  readonly version: number;
}
