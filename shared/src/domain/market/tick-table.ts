import { Decimal } from '../money/decimal';
import type { EpochMs } from '../time/epoch';

/** One price band: prices ≥ `from` (and below the next higher band) use `tick`. */
export interface TickBand {
  readonly from: Decimal;
  readonly tick: Decimal;
}

/** A tick-size table in force from `effectiveFrom` until the next table's date. */
export interface TickTable {
  readonly id: string;
  /** First instant (epoch ms, UTC) the table applies. */
  readonly effectiveFrom: EpochMs;
  /** Bands sorted from the highest `from` to the lowest; the last band starts at 0. */
  readonly bands: readonly TickBand[];
  /** Per-base-currency bands that replace the default band with the same `from`. */
  readonly overrides: Readonly<Record<string, readonly TickBand[]>>;
}

type Row = readonly [from: string, tick: string];

function bands(rows: readonly Row[]): readonly TickBand[] {
  return rows.map(([from, tick]) => ({ from: new Decimal(from), tick: new Decimal(tick) }));
}

/** KST midnight of a calendar date, as epoch ms. Upbit's rule changes take effect at KST dates. */
function kstMidnight(isoDate: string): EpochMs {
  return Date.parse(`${isoDate}T00:00:00+09:00`) as EpochMs;
}

const ORIGINAL: readonly Row[] = [
  ['2000000', '1000'],
  ['1000000', '500'],
  ['500000', '100'],
  ['100000', '50'],
  ['10000', '10'],
  ['1000', '5'],
  ['100', '1'],
  ['10', '0.1'],
  ['1', '0.01'],
  ['0.1', '0.001'],
  ['0', '0.0001'],
];

// 2024-01-29: every band below 10,000 KRW refined by one or more steps.
const REFINED_2024: readonly Row[] = [
  ['2000000', '1000'],
  ['1000000', '500'],
  ['500000', '100'],
  ['100000', '50'],
  ['10000', '10'],
  ['1000', '1'],
  ['100', '0.1'],
  ['10', '0.01'],
  ['1', '0.001'],
  ['0.1', '0.0001'],
  ['0.01', '0.00001'],
  ['0.001', '0.000001'],
  ['0.0001', '0.0000001'],
  ['0', '0.00000001'],
];

// In force since 2025-07-31 (PROTOCOL.md §6.2): coarser at the top, new 50k and 5k bands.
const CURRENT_2025: readonly Row[] = [
  ['1000000', '1000'],
  ['500000', '500'],
  ['100000', '100'],
  ['50000', '50'],
  ['10000', '10'],
  ['5000', '5'],
  ['100', '1'],
  ['10', '0.1'],
  ['1', '0.01'],
  ['0.1', '0.001'],
  ['0.01', '0.0001'],
  ['0.001', '0.00001'],
  ['0.0001', '0.000001'],
  ['0.00001', '0.0000001'],
  ['0', '0.00000001'],
];

// 2024-10-01: the 100–1,000 KRW band went back to 1 KRW for these 16 assets only.
const COARSE_100_BAND_ASSETS = [
  'ADA',
  'ALGO',
  'BLUR',
  'CELO',
  'ELF',
  'EOS',
  'GRS',
  'GRT',
  'ICX',
  'MANA',
  'MINA',
  'POL',
  'SAND',
  'SEI',
  'STG',
  'TRX',
] as const;

const coarse100 = bands([['100', '1']]);
const stablecoin1k = bands([['1000', '0.5']]);

const overrides2024Oct: Record<string, readonly TickBand[]> = Object.fromEntries(
  COARSE_100_BAND_ASSETS.map((asset) => [asset, coarse100]),
);

/**
 * Every KRW tick table Upbit has used, oldest first. Old tables matter for replaying history:
 * a 2020 candle at 9,685,000 KRW traded on a 1,000 KRW grid, not today's.
 * Whether the USDT/USDC 0.5 KRW exception survived 2025-07-31 is unconfirmed, so the current table
 * has no override; live code should trust `GET /orderbook/instruments` via an explicit tick.
 */
export const KRW_TICK_TABLES: readonly TickTable[] = [
  { id: 'original', effectiveFrom: 0 as EpochMs, bands: bands(ORIGINAL), overrides: {} },
  { id: '2024-01-29', effectiveFrom: kstMidnight('2024-01-29'), bands: bands(REFINED_2024), overrides: {} },
  {
    id: '2024-10-01',
    effectiveFrom: kstMidnight('2024-10-01'),
    bands: bands(REFINED_2024),
    overrides: overrides2024Oct,
  },
  {
    id: '2025-03-21',
    effectiveFrom: kstMidnight('2025-03-21'),
    bands: bands(REFINED_2024),
    overrides: { ...overrides2024Oct, USDT: stablecoin1k, USDC: stablecoin1k },
  },
  { id: '2025-07-31', effectiveFrom: kstMidnight('2025-07-31'), bands: bands(CURRENT_2025), overrides: {} },
];

/**
 * The table in force at an instant (the latest whose effective date is not after `at`): the last
 * table of `tables` in their order whose `effectiveFrom` is not after `at`. The last answer is kept
 * with the instants it holds for — from its table's `effectiveFrom` until the earliest
 * `effectiveFrom` of a table after it in the list — since the callers ask for every quote ladder,
 * order check and synthetic book, and a run's instants stay under one table for months.
 */
export function tickTableAt(at: EpochMs, tables: readonly TickTable[] = KRW_TICK_TABLES): TickTable {
  if (tables === memo.tables && tables.length === memo.length && at >= memo.from && at < memo.until)
    return memo.table as TickTable;
  let chosen: TickTable | undefined;
  let index = -1;
  for (let i = 0; i < tables.length; i++)
    if ((tables[i] as TickTable).effectiveFrom <= at) {
      chosen = tables[i];
      index = i;
    }
  if (chosen === undefined) throw new RangeError(`no tick table in force at ${at}`);
  // Until a later table of the list takes over (NaN, never reached, if one has no date).
  let until = Number.POSITIVE_INFINITY;
  for (let i = index + 1; i < tables.length; i++)
    until = Math.min(until, (tables[i] as TickTable).effectiveFrom);
  memo.tables = tables;
  memo.length = tables.length;
  memo.from = chosen.effectiveFrom;
  memo.until = until;
  memo.table = chosen;
  return chosen;
}

// tickTableAt's last answer: `table` for `tables` (of `length`) at instants in [from, until).
const memo: {
  tables: readonly TickTable[] | undefined;
  length: number;
  from: number;
  until: number;
  table: TickTable | undefined;
} = { tables: undefined, length: 0, from: Number.NaN, until: Number.NaN, table: undefined };

/**
 * Tick for a price under a table. The band is chosen by the price itself (lower bound inclusive),
 * and an asset override replaces the default band that starts at the same price.
 */
export function tickSizeIn(table: TickTable, p: Decimal, asset?: string): Decimal {
  if (p.isNegative()) throw new RangeError(`price must not be negative, got ${p.toFixed()}`);
  const band = table.bands.find((b) => p.gte(b.from));
  if (band === undefined) throw new RangeError(`no tick band for price ${p.toFixed()}`);
  const override =
    asset === undefined ? undefined : table.overrides[asset]?.find((b) => b.from.eq(band.from));
  return (override ?? band).tick;
}
