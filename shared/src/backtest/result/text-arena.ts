/** Bytes per arena chunk: large enough that chunk ends waste little, small enough to grow in steps. */
const CHUNK_BYTES = 1 << 20;

/** `String.prototype.isWellFormed` (ES2024, in Node 20), which the project's ES2023 lib does not declare. */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

/**
 * Write-once text kept as UTF-8 bytes outside V8's heap, for the long-lived texts of a long run (a
 * year × 5 markets keeps ~150,000 trade reasons of ~100 characters). As heap strings those are
 * ~200 bytes each plus a cons wrapper (one `σ` makes a whole string two-byte), and V8 lets the heap
 * grow to 1.3× its live size between full collections on top of that. Here they are their UTF-8
 * bytes in 1 MiB chunks that no collector scans, moves or lets grow.
 *
 * Exact: UTF-8 holds every well-formed text (surrogate pairs included), and a text with a lone
 * surrogate (which UTF-8 cannot hold) is kept as the string itself instead, so a read is always the
 * written text. `isWellFormed` is V8's own scan, about half the cost of the regular expression for
 * any surrogate that decided it before. (UTF-16 storage would need no check and no encoding, ~0.1 µs
 * less per text, but the reasons' bytes would take ~15 MB more over a year × 5 markets of `all`.)
 *
 * Not interned: in a market-making run ~40 % of reasons are distinct and a repeat is far back (a memo
 * of 64 texts, emptied when full, finds 1.7 % of trades, one of 4,096 only 25 %), while a `Map`
 * lookup hashes the whole fresh text, ~0.4 µs, more than the write it would save (trst, 120 days).
 */
export class TextArena {
  readonly #chunks: Buffer[] = [];
  /** Texts kept as strings (a lone surrogate), by the negative value `put` returned for them. */
  readonly #strings: string[] = [];
  #chunk: Buffer = Buffer.alloc(0);
  #used = 0;

  /**
   * Reserves room for texts of at most `maxChars` UTF-16 units in total (3 UTF-8 bytes each at most)
   * in one chunk, so the texts of one record can be read from it together.
   */
  reserve(maxChars: number): void {
    const bytes = maxChars * 3;
    if (this.#chunk.length - this.#used >= bytes) return;
    this.#chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, bytes));
    this.#chunks.push(this.#chunk);
    this.#used = 0;
  }

  /** The chunk the next {@link put} writes into (its index for {@link read}). */
  get chunk(): number {
    return this.#chunks.length - 1;
  }

  /** The byte offset in the current chunk where the next {@link put} writes. */
  get offset(): number {
    return this.#used;
  }

  /**
   * Appends `text` to the current chunk and returns its UTF-8 byte length, or −1 − k when the text
   * was kept as a string (then read it with {@link kept}(k)). Call {@link reserve} first.
   *
   * Checked before written: writing first (so the scan meets the text the write flattened) halved
   * this in a microbenchmark of reason-shaped cons strings but changed nothing in the bundled run
   * (a year of market_making: 86–91 ms of `put` in each tree's profiles, 10 A/B pairs no faster).
   */
  put(text: string): number {
    if (!(text as unknown as WellFormedCheck).isWellFormed()) {
      this.#strings.push(text);
      return -this.#strings.length;
    }
    const bytes = this.#chunk.write(text, this.#used);
    this.#used += bytes;
    return bytes;
  }

  /** The text of `bytes` bytes at `offset` in chunk `chunk` (an empty text may have no chunk). */
  read(chunk: number, offset: number, bytes: number): string {
    if (bytes === 0) return '';
    return (this.#chunks[chunk] as Buffer).toString('utf8', offset, offset + bytes);
  }

  /** A text {@link put} kept as a string, by its return value. */
  kept(put: number): string {
    return this.#strings[-put - 1] as string;
  }
}
