import { Decimal } from '../../domain/money/decimal';
import { fixedText } from '../../domain/money/decimal-text';
import { type DecimalLayout, decimalOfUnits } from '../../domain/money/decimal-units';

/** Integers per arena chunk (1 MiB): large enough that chunk ends waste little. */
const CHUNK_INTS = 1 << 18;
/** Decimal digits per decimal.js word. */
const WORD = 7;
/**
 * Header of a decimal kept as units ({@link DecimalArena.putUnits}): this plus its scale (0–60),
 * above any word count, followed by the units' high and low 32 bits.
 */
const UNITS_HEADER = 1 << 20;
const TWO_32 = 2 ** 32;

/**
 * Write-once decimals kept as their decimal.js words in 32-bit integer chunks outside V8's heap,
 * printed ({@link fixedText}) only when read: a backtest stores four decimals per trade (price,
 * volume, fee, PnL) and reads them once, when the result is written, if at all. Printing each at
 * the fill and UTF-8 encoding the text into an arena cost ~1 µs per decimal on every one of a
 * market-making year's ~150,000 trades; copying two to seven small integers costs a fraction.
 *
 * A decimal takes its header (the word count, negated for a negative sign), its exponent and its
 * words (each below 10^7). Exact: a read parses the same value back (the same sign, exponent and
 * words) and prints it with `fixedText`, ~1 µs per decimal, paid only by a caller that reads. A decimal without words (NaN,
 * ±Infinity) or with an exponent beyond 32 bits keeps its text, made at once (header 0).
 */
export class DecimalArena {
  readonly #chunks: Int32Array[] = [];
  /** Texts of decimals that are not words (see the class comment), by the index after header 0. */
  readonly #texts: string[] = [];
  #chunk: Int32Array = new Int32Array(0);
  #used = 0;
  /** Integers per new chunk (at least): CHUNK_INTS but for the JIT warm-up's tiny throwaway arena. */
  readonly #chunkInts: number;

  constructor(chunkInts: number = CHUNK_INTS) {
    this.#chunkInts = chunkInts;
  }

  /**
   * Reserves room for decimals of `words` words in total and `count` decimals in one chunk, so the
   * decimals of one record can be read from one chunk one after another.
   */
  reserve(words: number, count: number): void {
    const ints = words + 2 * count;
    if (this.#chunk.length - this.#used >= ints) return;
    this.#chunk = new Int32Array(Math.max(this.#chunkInts, ints));
    this.#chunks.push(this.#chunk);
    this.#used = 0;
  }

  /** The chunk the next {@link put} writes into (its index for {@link text}). */
  get chunk(): number {
    return this.#chunks.length - 1;
  }

  /** The integer offset in the current chunk where the next {@link put} writes. */
  get offset(): number {
    return this.#used;
  }

  /**
   * Appends `decimalOfUnits(units, scale)` as its units (call {@link reserve} first, counting one
   * word for it; {@link unitsKeepable} must hold): a quote layer's fill knows its price, volume and
   * fee as the safe integers those decimals were built from, so the same function of the same
   * integers makes the same decimal again when it is read.
   */
  putUnits(units: number, scale: number): void {
    if (!unitsKeepable(units, scale))
      throw new RangeError(`not keepable as units: ${units} at scale ${scale}`);
    const chunk = this.#chunk;
    const at = this.#used;
    const high = Math.floor(units / TWO_32);
    chunk[at] = UNITS_HEADER + scale;
    chunk[at + 1] = high;
    chunk[at + 2] = units - high * TWO_32;
    this.#used = at + 3;
  }

  /** Appends `x` to the current chunk (call {@link reserve} first). */
  put(x: Decimal): void {
    const { s, e, d } = x as unknown as DecimalLayout;
    const chunk = this.#chunk;
    let at = this.#used;
    if (d === null || (e | 0) !== e) {
      chunk[at] = 0;
      chunk[at + 1] = this.#texts.length;
      this.#texts.push(fixedText(x));
      this.#used = at + 2;
      return;
    }
    const n = d.length;
    chunk[at] = s < 0 ? -n : n;
    chunk[at + 1] = e;
    at += 2;
    for (let j = 0; j < n; j++) chunk[at + j] = d[j] as number;
    this.#used = at + n;
  }

  /** The text of the `which`-th decimal (0-based) of those put from `offset` in chunk `chunk`. */
  text(chunk: number, offset: number, which: number): string {
    const ints = this.#chunks[chunk] as Int32Array;
    let at = offset;
    for (let k = 0; k < which; k++) {
      const header = ints[at] as number;
      at += header >= UNITS_HEADER ? 3 : 2 + (header === 0 ? 0 : Math.abs(header));
    }
    const header = ints[at] as number;
    if (header === 0) return this.#texts[ints[at + 1] as number] as string;
    if (header >= UNITS_HEADER) {
      // The low half was stored as its int32 bit pattern: read back unsigned.
      const units = (ints[at + 1] as number) * TWO_32 + ((ints[at + 2] as number) >>> 0);
      return fixedText(decimalOfUnits(units, header - UNITS_HEADER));
    }
    // The decimal again, parsed from its digits (decimal.js keeps every digit of a text, and its
    // layout of a value is canonical, so this is the same sign, exponent and words), then printed
    // by fixedText itself: a real decimal, whatever fixedText reads of it.
    const n = Math.abs(header);
    let digits = String(ints[at + 2] as number);
    for (let j = 1; j < n; j++) digits += String(ints[at + 2 + j] as number).padStart(WORD, '0');
    const e = ints[at + 1] as number;
    return fixedText(new Decimal(`${header < 0 ? '-' : ''}${digits}e${e - digits.length + 1}`));
  }
}

/** The number of words of `x` as {@link DecimalArena.put} stores them (for its `reserve`). */
export function wordsOf(x: Decimal): number {
  const d = (x as unknown as DecimalLayout).d;
  return d === null ? 0 : d.length;
}

/** Whether {@link DecimalArena.putUnits} keeps these units: a safe integer ≥ 0 at a scale of 0–60. */
export function unitsKeepable(units: number, scale: number): boolean {
  return Number.isSafeInteger(units) && units >= 0 && Number.isInteger(scale) && scale >= 0 && scale <= 60;
}
