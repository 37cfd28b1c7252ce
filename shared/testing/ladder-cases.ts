import fc from 'fast-check';
import type { Market } from '../src/domain/market/market-id';
import { type Decimal, decimalFromNumber } from '../src/domain/money/decimal';
import type { EpochMs } from '../src/domain/time/epoch';

/** A market of the generated cases: its mid and the instant whose tick table it trades on (default T0). */
export interface LadderMarket {
  readonly market: Market;
  readonly mid: number;
  readonly now?: EpochMs;
}

/*
 * Generated cases for the ladder path's property tests (ladder-path.property.test.ts and the
 * band-edge audit): quote hints, account and risk states, and a threshold (`near`) one layer is put
 * on exactly or a hair either side of.
 */

/** Which threshold the case puts a layer on (exactly, or a hair either side). */
export const NEAR = [
  'none',
  'total',
  'strategy',
  'market',
  'trade',
  'depth',
  'deviation',
  'band_low',
  'band_high',
  'sellable',
  'max_total',
] as const;

const hintArb = fc.record({
  side: fc.constantFrom('bid' as const, 'ask' as const),
  offsetBps: fc.oneof(fc.double({ min: -40, max: 40, noNaN: true }), fc.constantFrom(0, -0.5, 0.5, 300)),
  sizeKrw: fc.oneof(
    fc.double({ min: 1_000, max: 700_000, noNaN: true }),
    fc.constantFrom(5_000, 100_000, 70_000, 49_000),
  ),
});

/** Cases over `marketCount` markets (a {@link LadderMarket} list's indices). */
export function ladderCaseArb(marketCount: number) {
  return fc.record({
    marketIdx: fc.integer({ min: 0, max: marketCount - 1 }),
    hints: fc.array(hintArb, { minLength: 0, maxLength: 12 }),
    other: fc.integer({ min: 0, max: 19 }), // 0: another strategy signals too; 1: a signal without quotes
    enabled: fc.integer({ min: 0, max: 19 }), // 0: market making off
    state: fc.integer({ min: 0, max: 19 }), // 0: reducing, 1: halted
    breach: fc.integer({ min: 0, max: 19 }), // 0: a loss limit is breached
    late: fc.integer({ min: 0, max: 19 }), // 0: the decision expired before risk
    withBest: fc.boolean(),
    heldKrw: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5_000_000, noNaN: true })),
    offeredShare: fc.double({ min: 0, max: 1.2, noNaN: true }),
    otherLock: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 9_000_000 })),
    mmCost: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2_000_000 })),
    maxPositions: fc.oneof(fc.constant(5), fc.integer({ min: 0, max: 3 })),
    depthKrw: fc.oneof(fc.constant(1e8), fc.double({ min: 0, max: 2e7, noNaN: true })),
    near: fc.constantFrom(...NEAR),
    layer: fc.integer({ min: 0, max: 11 }),
    nudge: fc.constantFrom(-1, 0, 0, 1),
    coarse: fc.boolean(), // nudges of a won / 1e-4 volume / 1e-6 instead of the last digit
    rejectMask: fc.integer({ min: 0, max: 4095 }),
    rejectSome: fc.integer({ min: 0, max: 3 }), // 0: the account rejects the layers in rejectMask
  });
}

/** One generated case. */
export type LadderCase = ReturnType<typeof ladderCaseArb> extends fc.Arbitrary<infer T> ? T : never;

/** `x` moved by `nudge` units (`unit`, or its coarse stand-in): a hair either side of a threshold. */
export function tiny(x: Decimal, nudge: number, unit: string, coarse = false): Decimal {
  return nudge === 0 ? x : x.plus(decimalFromNumber(nudge).times(coarse ? (COARSE[unit] ?? unit) : unit));
}

const COARSE: Readonly<Record<string, string>> = {
  '0.00000001': '0.0001',
  '0.000000000001': '1',
  '1e-8': '1',
  '1e-30': '1e-6',
};
