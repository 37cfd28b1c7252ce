/**
 * Empty arrays that already have the element kind they will hold. V8 starts a `[]` literal as an
 * array of small integers and moves it to a double or object array at its first such element; its
 * feedback then keeps only the wider kind. Code optimised while one run's arrays were full therefore
 * meets the next run's fresh `[]` with a hidden class it has never seen and is thrown away: once per
 * hot function in every optimizer worker's second task (each task builds new engine objects), plus
 * the recompile. These behave exactly as `[]` (length 0, no holes); only their hidden class differs.
 */

/** An empty array for doubles (prices, returns, sums), as `[]` would become at its first fraction. */
export function emptyDoubles(): number[] {
  const out = [0.5];
  out.pop();
  return out;
}

/** An empty array for objects, strings or a mix, as `[]` would become at its first such element. */
export function emptyRefs<T>(): T[] {
  const out: unknown[] = [null];
  out.pop();
  return out as T[];
}
