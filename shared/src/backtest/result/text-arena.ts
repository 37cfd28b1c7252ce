/** Bytes per arena chunk: large enough that chunk ends waste little, small enough to grow in steps. */
const CHUNK_BYTES = 1 << 20;

/** Any UTF-16 surrogate: text with one may not survive a UTF-8 round trip (a lone half does not). */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Write-once text kept as UTF-8 bytes outside V8's heap, for the long-lived texts of a long run (a
 * year × 5 markets keeps ~150,000 trade records, each with a reason and four decimal texts). As heap
 * strings those are ~65 bytes each plus a cons or slice wrapper, the reasons two-byte (one `σ`
 * makes a whole string UTF-16): ~95 MB of a year's ~100 MB live heap, and V8 lets the heap grow to
 * 1.3× its live size between full collections on top of that. Here they are their UTF-8 bytes in
 * 1 MiB chunks that no collector scans, moves or lets grow.
 *
 * Exact: UTF-8 holds every well-formed text, and a text with any surrogate (pairs included, rare in
 * our texts) is kept as the string itself instead, so a read is always the written text.
 */
export class TextArena {
  readonly #chunks: Buffer[] = [];
  /** Texts kept as strings (any surrogate), by the negative position `put` returned for them. */
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
   */
  put(text: string): number {
    if (SURROGATE.test(text)) {
      this.#strings.push(text);
      return -this.#strings.length;
    }
    const bytes = this.#chunk.write(text, this.#used);
    this.#used += bytes;
    return bytes;
  }

  /** The text of `bytes` bytes at `offset` in chunk `chunk`. */
  read(chunk: number, offset: number, bytes: number): string {
    return (this.#chunks[chunk] as Buffer).toString('utf8', offset, offset + bytes);
  }

  /** A text {@link put} kept as a string, by its return value. */
  kept(put: number): string {
    return this.#strings[-put - 1] as string;
  }
}
