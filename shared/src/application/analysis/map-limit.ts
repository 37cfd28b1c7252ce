/**
 * `Promise.all(items.map(fn))` with at most `limit` calls in flight: the analysis reads and writes
 * one item per market, and 200 markets at once would trip DynamoDB's and the SDK's connection limits.
 * Results keep the input order; the first failure rejects (calls already started still finish).
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
