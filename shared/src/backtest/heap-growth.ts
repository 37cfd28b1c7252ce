import { setFlagsFromString } from 'node:v8';

/** Heap growth per full collection, in percent, for long backtest and optimizer processes. */
export const BACKTEST_HEAP_GROWING_PERCENT = 30;

/**
 * Lets V8's heap grow by at most 30 % of its live size between full collections. A long backtest
 * keeps a large, slowly growing live set (the trade list: ~150,000 records in a year × 5 markets of
 * `all`), and with its default dynamic factor V8 let the heap reach ~4× that live set before
 * collecting it (700 MB of heap for ~170 MB live). Measured on 20 days × 5 markets: peak heap
 * 129 → 63 MB, peak RSS 236 → 172 MB, CPU time unchanged (most garbage dies young and never
 * reaches the old generation). Process-wide (worker threads included), so only the entry points
 * of long runs call it, never library code; results do not depend on when memory is collected.
 */
export function limitHeapGrowth(percent = BACKTEST_HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
