import { Decimal } from '../money/decimal';
import { price } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import { isOnTick, roundToTick } from './tick-rounding';
import { KRW_TICK_TABLES, tickSizeIn, tickTableAt } from './tick-table';

const at = (iso: string) => Date.parse(iso) as EpochMs;
const current = tickTableAt(at('2026-11-25T00:00:00Z'));
const refined2024 = tickTableAt(at('2024-06-01T00:00:00Z'));
const original = tickTableAt(at('2020-02-20T00:00:00Z'));
const tick = (table = current, p: string, asset?: string) =>
  tickSizeIn(table, new Decimal(p), asset).toFixed();

describe('KRW tick table in force since 2025-07-31', () => {
  // [price just below a boundary, its tick, the boundary, its tick]
  const boundaries: [string, string, string, string][] = [
    ['999999', '500', '1000000', '1000'],
    ['499999', '100', '500000', '500'],
    ['99999', '50', '100000', '100'],
    ['49999', '10', '50000', '50'],
    ['9999', '5', '10000', '10'],
    ['4999', '1', '5000', '5'],
    ['99.99', '0.1', '100', '1'],
    ['9.999', '0.01', '10', '0.1'],
    ['0.9999', '0.001', '1', '0.01'],
    ['0.09999', '0.0001', '0.1', '0.001'],
    ['0.009999', '0.00001', '0.01', '0.0001'],
    ['0.0009999', '0.000001', '0.001', '0.00001'],
    ['0.00009999', '0.0000001', '0.0001', '0.000001'],
    ['0.000009999', '0.00000001', '0.00001', '0.0000001'],
  ];
  it.each(boundaries)('below %s the tick is %s; at %s it is %s', (below, belowTick, edge, edgeTick) => {
    expect(tick(current, below)).toBe(belowTick);
    expect(tick(current, edge)).toBe(edgeTick);
  });

  it('uses 1,000 KRW for every price from 1,000,000 up, including 2,000,000 and above', () => {
    expect(tick(current, '1999999')).toBe('1000');
    expect(tick(current, '2000000')).toBe('1000');
    expect(tick(current, '150000000')).toBe('1000');
  });

  it('uses 1 KRW in the 100–1,000 band for everyone (no per-asset exception any more)', () => {
    expect(tick(current, '500', 'XRP')).toBe('1');
    expect(tick(current, '500', 'ADA')).toBe('1');
  });
});

describe('every boundary of every table', () => {
  it.each(KRW_TICK_TABLES.map((t) => [t.id, t] as const))(
    '%s: each band starts at its lower bound',
    (_id, table) => {
      const bands = table.bands;
      for (let i = 0; i < bands.length - 1; i++) {
        const band = bands[i];
        const lower = bands[i + 1];
        if (band === undefined || lower === undefined) throw new Error('unreachable');
        // One smallest tick below the edge belongs to the band underneath.
        const below = band.from.minus('0.00000001');
        expect(tickSizeIn(table, band.from).toFixed()).toBe(band.tick.toFixed());
        expect(tickSizeIn(table, below).toFixed()).toBe(lower.tick.toFixed());
        // Every edge is itself on the grid of both bands, so rounding can always settle on it.
        expect(band.from.mod(band.tick).isZero()).toBe(true);
        expect(band.from.mod(lower.tick).isZero()).toBe(true);
      }
    },
  );
});

describe('effective-date switch', () => {
  it('selects each table from its KST effective date', () => {
    expect(tickTableAt(at('2024-01-28T14:59:59.999Z')).id).toBe('original');
    expect(tickTableAt(at('2024-01-28T15:00:00Z')).id).toBe('2024-01-29'); // 2024-01-29 00:00 KST
    expect(tickTableAt(at('2025-07-30T14:59:59.999Z')).id).toBe('2025-03-21');
    expect(tickTableAt(at('2025-07-30T15:00:00Z')).id).toBe('2025-07-31');
    expect(KRW_TICK_TABLES.map((t) => t.id)).toEqual([
      'original',
      '2024-01-29',
      '2024-10-01',
      '2025-03-21',
      '2025-07-31',
    ]);
  });

  it('prices 2020 KRW-BTC candles on the original grid (500 KRW in 1–2 M, 1,000 above 2 M)', () => {
    expect(tick(original, '9685000')).toBe('1000');
    expect(tick(original, '1500000')).toBe('500');
    expect(tick(original, '150000')).toBe('50');
    expect(tick(original, '5000')).toBe('5');
  });

  it('applies the same price differently before and after 2025-07-31', () => {
    expect(tick(refined2024, '1500000')).toBe('500');
    expect(tick(current, '1500000')).toBe('1000');
    expect(tick(refined2024, '5500')).toBe('1');
    expect(tick(current, '5500')).toBe('5');
    expect(tick(refined2024, '500')).toBe('0.1');
    expect(tick(current, '500')).toBe('1');
  });

  it('applies the 2024-10-01 per-asset exception to the 100–1,000 band only for the listed assets', () => {
    const oct2024 = tickTableAt(at('2024-12-01T00:00:00Z'));
    expect(tick(oct2024, '500', 'ADA')).toBe('1');
    expect(tick(oct2024, '500', 'XRP')).toBe('0.1');
    expect(tick(oct2024, '50', 'ADA')).toBe('0.01');
  });

  it('applies the 2025-03-21 stablecoin exception (0.5 KRW in the 1k–10k band)', () => {
    const mar2025 = tickTableAt(at('2025-05-01T00:00:00Z'));
    expect(tick(mar2025, '1400', 'USDT')).toBe('0.5');
    expect(tick(mar2025, '1400', 'BTC')).toBe('1');
  });
});

describe('roundToTick', () => {
  const ctx = { table: current };
  it('rounds bids down and asks up', () => {
    expect(roundToTick(price('148956321'), 'bid', ctx).toFixed()).toBe('148956000');
    expect(roundToTick(price('148956321'), 'ask', ctx).toFixed()).toBe('148957000');
    expect(roundToTick(price('0.0123456'), 'bid', ctx).toFixed()).toBe('0.0123');
  });

  it('rounds up across a band edge onto the coarser grid', () => {
    const r = roundToTick(price('999999'), 'ask', ctx);
    expect(r.toFixed()).toBe('1000000');
    expect(isOnTick(r, ctx)).toBe(true);
  });

  it('uses an exchange-reported tick when given', () => {
    expect(roundToTick(price('1401.3'), 'bid', { table: current, tick: price('0.5') }).toFixed()).toBe(
      '1401',
    );
  });

  it('rounds to nearest with ties to even when asked', () => {
    expect(roundToTick(price('148956600'), 'nearest', ctx).toFixed()).toBe('148957000');
    expect(roundToTick(price('148956400'), 'nearest', ctx).toFixed()).toBe('148956000');
  });

  it('never returns zero for a tiny positive price', () => {
    expect(roundToTick(price('0.000000001'), 'bid', ctx).toFixed()).toBe('0.00000001');
  });
});
