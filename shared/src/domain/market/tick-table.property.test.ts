import fc from 'fast-check';
import type { EpochMs } from '../time/epoch';
import { KRW_TICK_TABLES, type TickTable, tickTableAt } from './tick-table';

/** tickTableAt as a plain scan (its definition): the last table of the list not after `at`. */
function scanned(at: EpochMs, tables: readonly TickTable[]): TickTable | undefined {
  let chosen: TickTable | undefined;
  for (const table of tables) if (table.effectiveFrom <= at) chosen = table;
  return chosen;
}

/** tickTableAt's answer, or undefined where it throws (no table in force). */
function answered(at: EpochMs, tables: readonly TickTable[]): TickTable | undefined {
  try {
    return tickTableAt(at, tables);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

const template = KRW_TICK_TABLES[0] as TickTable;
// Effective dates on a small grid so that instants land on, before and after them, in any order
// (unsorted and repeated dates included: the list's order decides, not the dates').
const dates = fc.integer({ min: 0, max: 12 }).map((d) => d * 1_000);
const tableLists = fc
  .array(dates, { minLength: 1, maxLength: 6 })
  .map((ds) => ds.map((d, i) => ({ ...template, id: `t${i}`, effectiveFrom: d as EpochMs })));
const instant = fc.oneof(
  fc.integer({ min: -1_000, max: 13_000 }),
  fc.integer({ min: 0, max: 12 }).map((d) => d * 1_000 - 1),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);

describe('tickTableAt with its last answer kept', () => {
  it('answers as the plain scan for any sequence of instants and lists', () => {
    fc.assert(
      fc.property(
        fc.array(tableLists, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), instant), { minLength: 1, maxLength: 40 }),
        (lists, asks) => {
          for (const [which, at] of asks) {
            const tables = lists[which % lists.length] as TickTable[];
            expect(answered(at as EpochMs, tables)).toBe(scanned(at as EpochMs, tables));
          }
        },
      ),
      { numRuns: 2000, seed: 20_261_207 },
    );
  });

  it('answers for the run’s own tables across every change of table, either way in time', () => {
    const froms = KRW_TICK_TABLES.map((t) => t.effectiveFrom);
    const instants = froms.flatMap((f) => [f - 1, f, f + 1]).filter((t) => t >= (froms[0] as number));
    for (const at of [...instants, ...instants.reverse()])
      expect(tickTableAt(at as EpochMs)).toBe(scanned(at as EpochMs, KRW_TICK_TABLES));
  });

  it('answers again after the list it kept grew in place', () => {
    const tables: TickTable[] = [{ ...template, effectiveFrom: 0 as EpochMs }];
    expect(tickTableAt(5 as EpochMs, tables)).toBe(tables[0]);
    tables.push({ ...template, id: 'later', effectiveFrom: 3 as EpochMs });
    expect(tickTableAt(5 as EpochMs, tables)).toBe(tables[1]);
  });
});
