// Frozen verdict lists of ladders whose every layer was placed, by layer count (readers only read).
const ALL_ACCEPTED: (readonly undefined[])[] = [];

/** `count` undefined verdicts: one shared, frozen list per count. */
export function allAccepted(count: number): readonly undefined[] {
  let list = ALL_ACCEPTED[count];
  if (list === undefined) {
    list = Object.freeze(new Array<undefined>(count).fill(undefined));
    ALL_ACCEPTED[count] = list;
  }
  return list;
}
