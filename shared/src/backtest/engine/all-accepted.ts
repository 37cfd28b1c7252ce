// Verdict lists of ladders whose every layer was placed, by layer count (readers only read).
const ALL_ACCEPTED: (readonly undefined[])[] = [];

/**
 * `count` undefined verdicts: one shared list per count, typed read-only. Not frozen: element
 * loads from a frozen array (HOLEY_/PACKED_FROZEN_ELEMENTS) take V8 11 (Node 20) several times as
 * long as from a plain one (a 10-element scan: ~200–300 ns against ~50–70 ns, measured), and the
 * ladder path scans one of these lists for every ladder placed.
 */
export function allAccepted(count: number): readonly undefined[] {
  let list = ALL_ACCEPTED[count];
  if (list === undefined) {
    list = new Array<undefined>(count).fill(undefined);
    ALL_ACCEPTED[count] = list;
  }
  return list;
}
