/** Bytes per arena chunk: large enough that chunk ends waste little, small enough to grow in steps. */
const CHUNK_BYTES = 1 << 20;

/**
 * Write-once text kept as UTF-16 code units outside V8's heap, for the long-lived texts of a long run
 * (a year × 5 markets keeps ~150,000 trade reasons of ~100 characters). As heap strings those are
 * ~200 bytes each plus a cons wrapper (one `σ` makes a whole string two-byte), and V8 lets the heap
 * grow to 1.3× its live size between full collections on top of that. Here they are their code
 * units in 1 MiB chunks that no collector scans, moves or lets grow.
 *
 * UTF-16, not UTF-8: the strings are UTF-16 already, so writing one copies its units (a two-byte
 * string's as they are) with no encoding and no check, and every text reads back exactly, lone
 * surrogates included. UTF-8 needed a surrogate scan per text (a lone half does not survive it) and
 * an encoding pass, ~0.5 µs per reason on every trade of a run; the reasons' bytes take ~15 MB more
 * over a market-making year than their UTF-8 did.
 */
export class TextArena {
  readonly #chunks: Buffer[] = [];
  #chunk: Buffer = Buffer.alloc(0);
  #used = 0;

  /**
   * Reserves room for texts of at most `maxChars` UTF-16 units in total in one chunk, so the texts
   * of one record can be read from it together.
   */
  reserve(maxChars: number): void {
    const bytes = maxChars * 2;
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

  /** Appends `text` to the current chunk and returns its byte length. Call {@link reserve} first. */
  put(text: string): number {
    const bytes = this.#chunk.write(text, this.#used, 'utf16le');
    this.#used += bytes;
    return bytes;
  }

  /** The text of `bytes` bytes at `offset` in chunk `chunk` (an empty text may have no chunk). */
  read(chunk: number, offset: number, bytes: number): string {
    if (bytes === 0) return '';
    return (this.#chunks[chunk] as Buffer).toString('utf16le', offset, offset + bytes);
  }
}
