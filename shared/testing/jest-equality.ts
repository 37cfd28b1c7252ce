/**
 * A backtest's trade records (`StoredTrade`, result/trade-store.ts) hold their fields as getters over
 * the run's trade columns, not as own properties, so Jest's `toEqual` would see two empty objects and
 * call any two of them equal. This tester compares them by their JSON record instead. It goes by the
 * class name rather than `instanceof`: a test may load the engine twice (a fresh module registry).
 */
function storedTradeEquality(
  this: { equals(a: unknown, b: unknown, testers?: unknown[]): boolean },
  a: unknown,
  b: unknown,
  testers: unknown[],
): boolean | undefined {
  const left = isStoredTrade(a);
  const right = isStoredTrade(b);
  if (!left && !right) return undefined;
  return this.equals(left ? a.toJSON() : a, right ? b.toJSON() : b, testers);
}

function isStoredTrade(x: unknown): x is { toJSON(): unknown } {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x)?.constructor?.name === 'StoredTrade';
}

// Jest's global expect (its addEqualityTesters is missing from @types/jest; @jest/globals is not a
// declared dependency).
(expect as unknown as { addEqualityTesters(testers: readonly unknown[]): void }).addEqualityTesters([
  storedTradeEquality,
]);
