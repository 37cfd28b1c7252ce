/** Slots per block: a lookup reads ≈ window / 16 block extremes plus the blocks written since. */
export const BLOCK_SLOTS = 16;

/**
 * Lowest low and highest high of each block of {@link BLOCK_SLOTS} consecutive slots of a pair of
 * ring buffers (lows and highs pushed together), refreshed lazily: `pushed` only counts, and
 * `refresh` rescans just the blocks written since the previous refresh. A window's extremes are then
 * the extremes of ≈ window / 16 block values instead of a scan of every bar, and a query about a
 * price band can skip every block whose [lowest low, highest high] misses the band. Minimum and
 * maximum are exact in any grouping, so every answer equals the plain scan's bit for bit.
 */
export class BlockExtremes {
  /** Lowest low per block (over the block's slots ever written; see {@link refresh}). */
  readonly lows: Float64Array;
  /** Highest high per block. */
  readonly highs: Float64Array;
  /** First slot written since the last refresh (the ring's head then). */
  private dirtyFrom = 0;
  /** Pushes since the last refresh, capped at the capacity (= every block dirty). */
  private dirtyCount: number;

  constructor(readonly capacity: number) {
    const blocks = Math.ceil(capacity / BLOCK_SLOTS);
    this.lows = new Float64Array(blocks);
    this.highs = new Float64Array(blocks);
    this.dirtyCount = capacity;
  }

  /** Notes one push into the rings (O(1); the block is rescanned at the next refresh). */
  pushed(): void {
    if (this.dirtyCount < this.capacity) this.dirtyCount++;
  }

  /** Marks every block dirty (the rings were cleared). */
  reset(): void {
    this.dirtyCount = this.capacity;
  }

  /**
   * Brings the blocks up to date with full rings (`head` = the slot the next push writes, which
   * is the oldest slot of a full ring): rescans the blocks holding a slot written since the last
   * refresh, every slot of a full ring being live.
   */
  refresh(lows: Float64Array, highs: Float64Array, head: number): void {
    const cap = this.capacity;
    const count = this.dirtyCount;
    // A run of writes this long may wrap back into its own first block: rescan everything.
    if (count > cap - BLOCK_SLOTS) for (let b = 0; b < this.lows.length; b++) this.rescan(lows, highs, b);
    else if (count > 0) {
      const first = (this.dirtyFrom / BLOCK_SLOTS) | 0;
      const lastSlot = this.dirtyFrom + count - 1;
      const last = ((lastSlot < cap ? lastSlot : lastSlot - cap) / BLOCK_SLOTS) | 0;
      for (let b = first; ; b = b + 1 === this.lows.length ? 0 : b + 1) {
        this.rescan(lows, highs, b);
        if (b === last) break;
      }
    }
    this.dirtyFrom = head;
    this.dirtyCount = 0;
  }

  private rescan(lows: Float64Array, highs: Float64Array, b: number): void {
    const from = b * BLOCK_SLOTS;
    const to = Math.min(from + BLOCK_SLOTS, this.capacity);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let j = from; j < to; j++) {
      const l = lows[j] as number;
      const h = highs[j] as number;
      if (l < lo) lo = l;
      if (h > hi) hi = h;
    }
    this.lows[b] = lo;
    this.highs[b] = hi;
  }
}
