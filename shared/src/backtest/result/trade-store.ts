import type { Decimal } from '../../domain/money/decimal';
import { type EpochMs, toIsoUtc } from '../../domain/time/epoch';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { TradeRecord } from './backtest-result';
import { DecimalArena, unitsKeepable, wordsOf } from './decimal-arena';
import { InternedTexts } from './interned-texts';
import type { FillMarkouts, MarkoutSink } from './markouts';
import { type FillReason, hasQuoteParts, QuoteReasons } from './quote-reasons';
import { openRowBlock, rowBlock, rowOffset } from './row-blocks';
import { TextArena } from './text-arena';

/**
 * A fill's price, volume and fee as the units their decimals were built from, when it knows them
 * (a quote layer's fill computed on integers, SimFill): price = decimalOfUnits(priceWon, 0), volume
 * = decimalOfUnits(volumeUnits, 8), fee = decimalOfUnits(feeUnits, feeScale); NaN where
 * a value was not built so. The store keeps such a value as its units (DecimalArena.putUnits).
 */
export interface FillUnits {
  readonly priceWon: number;
  readonly volumeUnits: number;
  readonly feeUnits: number;
  readonly feeScale: number;
}

/** Doubles per row: the bar's time, then the mark-outs of the three horizons. */
const NUMS = 4;
/** Integers per row: see the `I_` offsets. */
const INTS = 8;
const I_MARKET = 0;
const I_STRATEGY = 1;
const I_FLAGS = 2;
/** Where the row's four decimals start in the {@link DecimalArena}: chunk and offset. */
const I_DECIMALS_CHUNK = 3;
const I_DECIMALS_OFFSET = 4;
/**
 * Where the reason starts in the {@link TextArena}, and its byte length (or kept-string marker); for
 * a reason kept as parts (F_QUOTE_REASON), its index in the {@link QuoteReasons} at I_REASON_OFFSET.
 */
const I_REASON_CHUNK = 5;
const I_REASON_OFFSET = 6;
const I_REASON_BYTES = 7;
/** The decimals of a volume's units (FillUnits.volumeUnits). */
const VOLUME_SCALE = 8;
const F_ASK = 1;
const F_MAKER = 2;
/** Bit of mark-out horizon `i` (0–2) once measured: a horizon past the run's end stays null. */
const F_MARKOUT = 4;
/** The reason is kept as market making's parts (see {@link QuoteReasons}), not as text. */
const F_QUOTE_REASON = 32;

/** The decimals of one trade, in the order they are stored and read. */
const PRICE = 0;
const VOLUME = 1;
const FEE = 2;
const PNL = 3;

/**
 * A run's trade list in columns: per trade four doubles, eight 32-bit integers, its four decimals'
 * words in a {@link DecimalArena} (printed when read) and its reason's UTF-8 bytes in a
 * {@link TextArena}, instead of an object of eleven fields holding five to seven heap strings
 * (two-byte reasons, cons-string decimals) and a mark-out object with three heap numbers: ~640 bytes
 * of V8 heap per trade measured at the end of a year × 5 markets of `all` (148,397 trades, 95 of its
 * 100 MB live heap), against ~200 bytes outside it here and none on the heap until the list is
 * read (then ~40 bytes a record object and its slot). Records read exactly as before: {@link records} holds one
 * {@link StoredTrade} per trade, with the same fields as getters and a `toJSON` giving the same
 * object, so `JSON.stringify` of a result is byte-identical.
 */
export class TradeStore implements MarkoutSink {
  /** Rows added so far. */
  #rows = 0;
  /** The records made so far, one per row up to its length (see {@link records}). */
  readonly #records: StoredTrade[] = [];
  readonly #nums: Float64Array[] = [];
  readonly #ints: Int32Array[] = [];
  readonly #decimals = new DecimalArena();
  readonly #text = new TextArena();
  readonly #quoteReasons = new QuoteReasons();
  /** Market and strategy names by code (one table each: a trade's lookups alternate between them). */
  readonly #markets = new InternedTexts();
  readonly #strategies = new InternedTexts();

  /**
   * The trades in the order they were added, as {@link TradeRecord}s: one array for the store's
   * life, its records made on read for the rows added since the last read. A run reads it once, at
   * its end: a record object per fill pushed during the run was one more young object per fill
   * promoted into an old array (a write barrier, a remembered-set entry and two copies by the
   * scavenger each), for a list nobody reads before the result is built.
   */
  get records(): TradeRecord[] {
    const records = this.#records;
    for (let row = records.length; row < this.#rows; row++) records.push(new StoredTrade(this, row));
    return records;
  }

  /**
   * Appends one trade and returns its row (for {@link setMarkout}). The decimals' words and the
   * reason are copied out of the heap here: the store keeps nothing passed in. The decimals read
   * back as `fixedText` of each (printed on read, not here). A reason given as a {@link FillReason}
   * with market making's parts is kept as those parts and its text made on read (QuoteReasons);
   * any other is kept as its text.
   */
  add(
    at: EpochMs,
    market: string,
    strategy: StrategyName | 'operator',
    side: 'bid' | 'ask',
    maker: boolean,
    price: Decimal,
    volume: Decimal,
    feeKrw: Decimal,
    pnlKrw: Decimal,
    reason: string | (FillReason & Partial<FillUnits>),
  ): number {
    const row = this.#rows;
    openRowBlock(this.#nums, this.#ints, row, NUMS, INTS);
    const b = rowBlock(row);
    const nums = this.#nums[b] as Float64Array;
    const ints = this.#ints[b] as Int32Array;
    const n = rowOffset(row, NUMS);
    const i = rowOffset(row, INTS);
    nums[n] = at;
    ints[i + I_MARKET] = this.#markets.code(market);
    ints[i + I_STRATEGY] = this.#strategies.code(strategy);
    const parts = typeof reason !== 'string' && hasQuoteParts(reason);
    ints[i + I_FLAGS] = (side === 'ask' ? F_ASK : 0) | (maker ? F_MAKER : 0) | (parts ? F_QUOTE_REASON : 0);
    const decimals = this.#decimals;
    // The values a fill knows as units are kept so (one word each in the reservation), the rest as words.
    const units = typeof reason === 'string' ? undefined : reason;
    const priceWon = units?.priceWon ?? Number.NaN;
    const volumeUnits = units?.volumeUnits ?? Number.NaN;
    const feeUnits = units?.feeUnits ?? Number.NaN;
    const feeScale = units?.feeScale ?? Number.NaN;
    const p = unitsKeepable(priceWon, 0);
    const v = unitsKeepable(volumeUnits, VOLUME_SCALE);
    const f = unitsKeepable(feeUnits, feeScale);
    decimals.reserve(
      (p ? 1 : wordsOf(price)) + (v ? 1 : wordsOf(volume)) + (f ? 1 : wordsOf(feeKrw)) + wordsOf(pnlKrw),
      4,
    );
    ints[i + I_DECIMALS_CHUNK] = decimals.chunk;
    ints[i + I_DECIMALS_OFFSET] = decimals.offset;
    if (p) decimals.putUnits(priceWon, 0);
    else decimals.put(price);
    if (v) decimals.putUnits(volumeUnits, VOLUME_SCALE);
    else decimals.put(volume);
    if (f) decimals.putUnits(feeUnits, feeScale);
    else decimals.put(feeKrw);
    decimals.put(pnlKrw);
    if (parts) ints[i + I_REASON_OFFSET] = this.#quoteReasons.add(reason as FillReason);
    else {
      const t = typeof reason === 'string' ? reason : reason.reason;
      const text = this.#text;
      text.reserve(t.length);
      ints[i + I_REASON_CHUNK] = text.chunk;
      ints[i + I_REASON_OFFSET] = text.offset;
      ints[i + I_REASON_BYTES] = text.put(t);
    }
    this.#rows = row + 1;
    return row;
  }

  /** Records the mark-out of horizon `index` (0–2, see MARKOUT_HORIZONS) of the trade at `row`. */
  setMarkout(row: number, index: number, bps: number): void {
    const b = rowBlock(row);
    (this.#nums[b] as Float64Array)[rowOffset(row, NUMS) + 1 + index] = bps;
    const ints = this.#ints[b] as Int32Array;
    const flags = rowOffset(row, INTS) + I_FLAGS;
    ints[flags] = (ints[flags] as number) | (F_MARKOUT << index);
  }

  /** @internal Field readers of {@link StoredTrade}. */
  at(row: number): number {
    return (this.#nums[rowBlock(row)] as Float64Array)[rowOffset(row, NUMS)] as number;
  }

  /** @internal */
  int(row: number, field: number): number {
    return (this.#ints[rowBlock(row)] as Int32Array)[rowOffset(row, INTS) + field] as number;
  }

  /** @internal */
  name(row: number, field: typeof I_MARKET | typeof I_STRATEGY): string {
    return (field === I_MARKET ? this.#markets : this.#strategies).text(this.int(row, field));
  }

  /** @internal The decimal `which` (PRICE … PNL) of the trade at `row`, as its `fixedText`. */
  decimal(row: number, which: number): string {
    const ints = this.#ints[rowBlock(row)] as Int32Array;
    const i = rowOffset(row, INTS);
    return this.#decimals.text(
      ints[i + I_DECIMALS_CHUNK] as number,
      ints[i + I_DECIMALS_OFFSET] as number,
      which,
    );
  }

  /** @internal The reason of the trade at `row`. */
  reason(row: number): string {
    const ints = this.#ints[rowBlock(row)] as Int32Array;
    const i = rowOffset(row, INTS);
    if (((ints[i + I_FLAGS] as number) & F_QUOTE_REASON) !== 0)
      return this.#quoteReasons.text(ints[i + I_REASON_OFFSET] as number);
    const bytes = ints[i + I_REASON_BYTES] as number;
    if (bytes < 0) return this.#text.kept(bytes);
    return this.#text.read(ints[i + I_REASON_CHUNK] as number, ints[i + I_REASON_OFFSET] as number, bytes);
  }

  /** @internal The mark-outs of a maker trade (null where the run ended before the horizon). */
  markouts(row: number): FillMarkouts {
    const flags = this.int(row, I_FLAGS);
    const nums = this.#nums[rowBlock(row)] as Float64Array;
    const n = rowOffset(row, NUMS);
    const at = (k: number): number | null =>
      (flags & (F_MARKOUT << k)) === 0 ? null : (nums[n + 1 + k] as number);
    return { 1: at(0), 5: at(1), 30: at(2) };
  }
}

/**
 * One trade of a {@link TradeStore}, read through getters (each builds its text on read: read a
 * field once where it is used many times). `JSON.stringify` writes exactly the plain record the
 * backtest built before the store existed, key order included.
 */
export class StoredTrade implements TradeRecord {
  readonly #store: TradeStore;
  readonly #row: number;

  constructor(store: TradeStore, row: number) {
    this.#store = store;
    this.#row = row;
  }

  get time(): string {
    return toIsoUtc(this.#store.at(this.#row) as EpochMs);
  }
  get market(): string {
    return this.#store.name(this.#row, I_MARKET);
  }
  get strategy(): StrategyName | 'operator' {
    return this.#store.name(this.#row, I_STRATEGY) as StrategyName | 'operator';
  }
  get side(): 'bid' | 'ask' {
    return (this.#store.int(this.#row, I_FLAGS) & F_ASK) === 0 ? 'bid' : 'ask';
  }
  get price(): string {
    return this.#store.decimal(this.#row, PRICE);
  }
  get volume(): string {
    return this.#store.decimal(this.#row, VOLUME);
  }
  get feeKrw(): string {
    return this.#store.decimal(this.#row, FEE);
  }
  get pnlKrw(): string {
    return this.#store.decimal(this.#row, PNL);
  }
  get reason(): string {
    return this.#store.reason(this.#row);
  }
  get maker(): boolean {
    return (this.#store.int(this.#row, I_FLAGS) & F_MAKER) !== 0;
  }
  /** Maker trades only, as before: undefined for a taker trade. */
  get markoutBps(): FillMarkouts | undefined {
    return this.maker ? this.#store.markouts(this.#row) : undefined;
  }

  /** The plain record, keys in the order the backtest has always written them. */
  toJSON(): TradeRecord {
    const base = {
      time: this.time,
      market: this.market,
      strategy: this.strategy,
      side: this.side,
      price: this.price,
      volume: this.volume,
      feeKrw: this.feeKrw,
      pnlKrw: this.pnlKrw,
      reason: this.reason,
    };
    return this.maker
      ? { ...base, maker: true, markoutBps: this.#store.markouts(this.#row) }
      : { ...base, maker: false };
  }
}

/**
 * The record as a plain object with its fields as own properties (a {@link StoredTrade}'s are
 * getters, so spreading one or comparing it with Jest's `toEqual` would see no fields at all).
 */
export function plainTradeRecord(t: TradeRecord): TradeRecord {
  return t instanceof StoredTrade ? t.toJSON() : t;
}
