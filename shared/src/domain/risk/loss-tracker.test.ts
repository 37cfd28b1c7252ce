import fc from 'fast-check';
import { Decimal } from '../money/decimal';
import { type Krw, krw } from '../money/quantities';
import { type EpochMs, MS } from '../time/epoch';
import {
  advanceLedgers,
  evaluateLossLimits,
  type LedgerSet,
  markEquity,
  openLedgerEntry,
} from './loss-ledger';
import { LossLimitTracker } from './loss-tracker';
import { DEFAULT_RISK_LIMITS } from './risk-limits';

const START = Date.parse('2026-01-30T14:00:00Z');
const EQUITIES = ['10000000', '9700000', '9500000.5', '10200000', '8400000', '10000000.00000001'];

describe('LossLimitTracker', () => {
  it('opens an entry with the fields, values and key order an updated entry has', () => {
    const at = START as EpochMs;
    const fresh = openLedgerEntry('week', at, krw(new Decimal('10000000')));
    expect(fresh).toEqual({
      period: 'week',
      periodKey: fresh.periodKey,
      startEquity: krw(new Decimal('10000000')),
      peakEquity: krw(new Decimal('10000000')),
      realizedPnl: krw(new Decimal(0)),
      fees: krw(new Decimal(0)),
      fills: 0,
      updatedAt: at,
      version: 0,
    });
    const raised = markEquity(fresh, krw(new Decimal('10000001')), (at + MS.minute) as EpochMs);
    expect(Object.keys(fresh)).toEqual(Object.keys(raised));
    expect(JSON.stringify(raised)).toBe(
      JSON.stringify({ ...fresh, peakEquity: krw(new Decimal('10000001')), updatedAt: at + MS.minute }),
    );
  });

  it('gives the same ledgers and status as advancing and evaluating at every mark', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.oneof(fc.constant(MS.minute), fc.integer({ min: 0, max: 9 * MS.day })),
            equity: fc.integer({ min: 0, max: EQUITIES.length - 1 }),
            fresh: fc.boolean(),
          }),
          { minLength: 1, maxLength: 120 },
        ),
        fc.constantFrom('day_start', 'intraday_peak') as fc.Arbitrary<'day_start' | 'intraday_peak'>,
        (marks, reference) => {
          const limits = { ...DEFAULT_RISK_LIMITS.loss, instantDropReference: reference };
          const tracker = new LossLimitTracker(limits);
          let ledgers: LedgerSet | undefined;
          let at = START;
          let previous: Krw | undefined;
          for (const m of marks) {
            at += m.gap;
            // The same value as a new object half of the time, the same object otherwise.
            const text = EQUITIES[m.equity] as string;
            const equity = !m.fresh && previous?.eq(text) ? previous : krw(new Decimal(text));
            previous = equity;
            ledgers = advanceLedgers(ledgers ?? {}, at as EpochMs, equity).ledgers;
            const expected = evaluateLossLimits(ledgers, equity, limits);
            expect(tracker.mark(at as EpochMs, equity)).toEqual(expected);
            expect(tracker.ledgers).toEqual(ledgers);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decides equities at and around every limit as the exact evaluation does', () => {
    // Limits of a few digits (some ≤ 0 or ≥ 1) and equities on, just above and just below the
    // equity at which each loss reaches its limit: the tracker's no-breach floor must never hide one.
    const limitArb = fc.oneof(
      fc.constantFrom('0', '-0.01', '1', '1.5'),
      fc.integer({ min: 1, max: 999 }).map((n) => `0.${String(n).padStart(3, '0')}`),
    );
    fc.assert(
      fc.property(
        fc.record({ instantDrop: limitArb, daily: limitArb, weekly: limitArb, monthly: limitArb }),
        fc.constantFrom('day_start', 'intraday_peak') as fc.Arbitrary<'day_start' | 'intraday_peak'>,
        fc.array(
          fc.record({
            which: fc.nat(3),
            offset: fc.constantFrom('0', '0.00000001', '-0.00000001', '1', '-1'),
          }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        (texts, reference, steps) => {
          const limits = {
            ...DEFAULT_RISK_LIMITS.loss,
            instantDropReference: reference,
            instantDrop: new Decimal(texts.instantDrop),
            daily: new Decimal(texts.daily),
            weekly: new Decimal(texts.weekly),
            monthly: new Decimal(texts.monthly),
          };
          const list = [limits.instantDrop, limits.daily, limits.weekly, limits.monthly];
          const start = new Decimal('10000000');
          const tracker = new LossLimitTracker(limits);
          let ledgers: LedgerSet | undefined;
          let at = START;
          // The periods start at 10,000,000 KRW (the first mark), the equity the limits are set from.
          ledgers = advanceLedgers({}, at as EpochMs, krw(start)).ledgers;
          tracker.update(at as EpochMs, krw(start));
          for (const step of steps) {
            at += MS.minute;
            const limit = list[step.which] as Decimal;
            const equity = krw(start.times(new Decimal(1).minus(limit)).plus(step.offset).abs());
            ledgers = advanceLedgers(ledgers ?? {}, at as EpochMs, equity).ledgers;
            const expected = evaluateLossLimits(ledgers, equity, limits);
            expect(tracker.update(at as EpochMs, equity)).toEqual(expected.breaches);
            expect(tracker.status).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
