import fc from 'fast-check';
import type { SignalFate } from '../../domain/ensemble/signal-fate';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import { SignalOutcomeTally } from './signal-outcomes';

// The tally counts reasons in maps (a run's first reason no longer changes an object's hidden class
// under the optimised `record`). Its JSON must stay what the object-keyed tally wrote: the same
// counts, reasons sorted. The reference below is that tally, reasons counted as object keys.
function referenceOutcomes(
  names: readonly StrategyName[],
  records: readonly [StrategyName, SignalFate, number][],
) {
  const byName = new Map<StrategyName, Record<string, unknown>>();
  const entry = (s: StrategyName) => {
    let o = byName.get(s) as
      | {
          signals: number;
          traded: number;
          netted: number;
          heldByEnsemble: number;
          heldReasons: Record<string, number>;
          refusedByRisk: Record<string, number>;
        }
      | undefined;
    if (o === undefined) {
      o = { signals: 0, traded: 0, netted: 0, heldByEnsemble: 0, heldReasons: {}, refusedByRisk: {} };
      byName.set(s, o);
    }
    return o;
  };
  for (const s of names) entry(s);
  for (const [s, fate, count] of records) {
    const o = entry(s);
    o.signals += count;
    if (fate.kind === 'traded') o.traded += count;
    else if (fate.kind === 'netted') o.netted += count;
    else if (fate.kind === 'held') {
      o.heldByEnsemble += count;
      o.heldReasons[fate.reason] = (o.heldReasons[fate.reason] ?? 0) + count;
    } else o.refusedByRisk[fate.reason] = (o.refusedByRisk[fate.reason] ?? 0) + count;
  }
  const sorted = (c: Record<string, number>) =>
    Object.fromEntries(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const perStrategy: Record<string, unknown> = {};
  for (const name of STRATEGY_NAMES) {
    const o = byName.get(name) as
      | { heldReasons: Record<string, number>; refusedByRisk: Record<string, number> }
      | undefined;
    if (o !== undefined)
      perStrategy[name] = {
        ...o,
        heldReasons: sorted(o.heldReasons),
        refusedByRisk: sorted(o.refusedByRisk),
      };
  }
  return { perStrategy, ungated: {}, gatePeriods: {} };
}

// Real reasons and integer-like ones (which plain objects order first, before the sort).
const reason = fc.constantFrom(
  'nothing_to_sell',
  'no_order',
  'risk:no_edge',
  'risk:below_minimum',
  'risk:oversell',
  '10',
  '2',
  'b',
  'a',
);
const fate: fc.Arbitrary<SignalFate> = fc.oneof(
  fc.constant({ kind: 'traded' } as const),
  fc.constant({ kind: 'netted' } as const),
  reason.map((r) => ({ kind: 'held', reason: r }) as const),
  reason.map((r) => ({ kind: 'refused', reason: r }) as const),
);
const strategy = fc.constantFrom(...STRATEGY_NAMES);

describe('SignalOutcomeTally', () => {
  it('builds the same JSON as a tally that counts reasons as object keys', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(strategy, { maxLength: STRATEGY_NAMES.length }),
        fc.array(fc.tuple(strategy, fate, fc.integer({ min: 1, max: 5 })), { maxLength: 60 }),
        (names, records) => {
          const tally = new SignalOutcomeTally(names);
          for (const [s, f, count] of records) tally.record(s, f, count);
          const built = tally.build(new Map(), new Map());
          expect(JSON.stringify(built)).toBe(JSON.stringify(referenceOutcomes(names, records)));
        },
      ),
    );
  });
});
