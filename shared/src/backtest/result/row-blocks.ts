/**
 * Rows per block of a result column store (the trade list, its quote reasons): blocks are added
 * as a run goes, never copied or grown, so a year's rows cost no reallocation and no copy.
 */
export const ROW_BLOCK = 4096;
/** log2 of {@link ROW_BLOCK}: a row's block is `row >> ROW_BLOCK_SHIFT`. */
export const ROW_BLOCK_SHIFT = 12;

/**
 * Adds the next block (`numsPerRow` doubles and `intsPerRow` integers a row) when `row` is the
 * first row past the blocks held: the stores append rows in order, so a row opens at most one.
 */
export function openRowBlock(
  nums: Float64Array[],
  ints: Int32Array[],
  row: number,
  numsPerRow: number,
  intsPerRow: number,
): void {
  if (rowBlock(row) !== nums.length) return;
  nums.push(new Float64Array(ROW_BLOCK * numsPerRow));
  ints.push(new Int32Array(ROW_BLOCK * intsPerRow));
}

/** The block that holds `row`. */
export function rowBlock(row: number): number {
  return row >> ROW_BLOCK_SHIFT;
}

/** Where `row`'s first value sits in its block, for `perRow` values a row. */
export function rowOffset(row: number, perRow: number): number {
  return (row & (ROW_BLOCK - 1)) * perRow;
}
