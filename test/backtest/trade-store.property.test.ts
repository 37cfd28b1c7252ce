import fc from 'fast-check';
import type { TradeRecord } from '../../shared/src/backtest/result/backtest-result';
import { MarkoutTracker, type StepCloses } from '../../shared/src/backtest/result/markouts';
import { plainTradeRecord, TradeStore } from '../../shared/src/backtest/result/trade-store';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { fixedText } from '../../shared/src/domain/money/decimal-text';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import type { OrderIdentifier } from '../../shared/src/domain/orders/identifiers';
import { type EpochMs, toIsoUtc } from '../../shared/src/domain/time/epoch';
import type { Fill } from '../../shared/src/domain/trading/fill';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';

/** What the backtest added for one fill: the plain record as it was built before the store. */
interface Added {
  readonly at: EpochMs;
  readonly market: string;
  readonly strategy: StrategyName | 'operator';
  readonly side: 'bid' | 'ask';
  readonly maker: boolean;
  readonly price: Decimal;
  readonly volume: Decimal;
  readonly feeKrw: Decimal;
  readonly pnlKrw: Decimal;
  readonly reason: string;
  /** Mark-outs measured per horizon (undefined: the run ended first). */
  readonly markouts: readonly (number | undefined)[];
}

/** The plain record the backtest built before the store (decimals as fixedText), key order included. */
function plain(a: Added): TradeRecord {
  const base = {
    time: toIsoUtc(a.at),
    market: a.market,
    strategy: a.strategy,
    side: a.side,
    price: fixedText(a.price),
    volume: fixedText(a.volume),
    feeKrw: fixedText(a.feeKrw),
    pnlKrw: fixedText(a.pnlKrw),
    reason: a.reason,
  };
  const m = (k: number): number | null => a.markouts[k] ?? null;
  return a.maker
    ? { ...base, maker: true, markoutBps: { 1: m(0), 5: m(1), 30: m(2) } }
    : { ...base, maker: false };
}

const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.nat({ max: 12 }))
  .map(([neg, units, scale]) => {
    const digits = units.toString().padStart(scale + 1, '0');
    const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    return neg && units !== 0n ? `-${text}` : text;
  });

// Decimals as the engine makes them: parsed amounts, 40-digit quotients and products (many words),
// far exponents either way, −0, and the values without words (NaN, ±Infinity).
const decimal: fc.Arbitrary<Decimal> = fc.oneof(
  decimalText.map((t) => new Decimal(t)),
  fc
    .tuple(decimalText, decimalText)
    .map(([a, b]) => new Decimal(a).div(new Decimal(b).abs().plus('0.0007')).times('1.0005')),
  fc
    .tuple(fc.integer({ min: -60, max: 60 }), fc.bigInt({ min: 1n, max: 10n ** 40n }), fc.boolean())
    .map(([e, units, neg]) => new Decimal(`${neg ? '-' : ''}${units}e${e}`)),
  fc.constantFrom(
    new Decimal('-0'),
    new Decimal(0),
    new Decimal(Number.NaN),
    new Decimal(Infinity),
    new Decimal(-Infinity),
  ),
);

// Any UTF-16 text, lone surrogates (kept as strings) and pairs included, besides the reasons' own
// alphabet (σ, ≤, ≥, ×: one-byte and two-byte strings).
const reasonText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'quote bid L0: half-spread 17.3 bps (σ 11.5), ≤ ≥ ×2 %') }),
  fc.string({ unit: 'binary' }),
  // Lone halves (UTF-8 cannot hold them) beside whole pairs.
  fc.string({ unit: fc.constantFrom('a', 'σ', '\uD800', '\uDFFF', '\uD83D\uDE00') }),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
);

const added: fc.Arbitrary<Added> = fc.record({
  at: fc.integer({ min: 0, max: 4_102_444_800_000 }).map((n) => n as EpochMs),
  market: fc.constantFrom('KRW-BTC', 'KRW-ETH', 'KRW-XRP'),
  strategy: fc.constantFrom<StrategyName | 'operator'>('market_making', 'stat_arb', 'operator'),
  side: fc.constantFrom<'bid' | 'ask'>('bid', 'ask'),
  maker: fc.boolean(),
  price: decimal,
  volume: decimal,
  feeKrw: decimal,
  pnlKrw: decimal,
  reason: reasonText,
  markouts: fc.array(fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: undefined }), {
    minLength: 3,
    maxLength: 3,
  }),
});

function store(trades: readonly Added[]): TradeStore {
  const s = new TradeStore();
  for (const a of trades) {
    const row = s.add(
      a.at,
      a.market,
      a.strategy,
      a.side,
      a.maker,
      a.price,
      a.volume,
      a.feeKrw,
      a.pnlKrw,
      a.reason,
    );
    if (a.maker)
      a.markouts.forEach((bps, k) => {
        if (bps !== undefined) s.setMarkout(row, k, bps);
      });
  }
  return s;
}

describe('TradeStore', () => {
  it('makes its records on read: reads between adds see every trade so far, in one array', () => {
    fc.assert(
      fc.property(fc.array(added, { maxLength: 30 }), fc.array(fc.nat({ max: 30 })), (trades, reads) => {
        const s = new TradeStore();
        const first = s.records;
        expect(first).toHaveLength(0);
        trades.forEach((a, i) => {
          s.add(a.at, a.market, a.strategy, a.side, a.maker, a.price, a.volume, a.feeKrw, a.pnlKrw, a.reason);
          if (reads.includes(i)) {
            expect(s.records).toBe(first);
            expect(s.records).toHaveLength(i + 1);
            expect(JSON.stringify(s.records.at(-1))).toBe(
              JSON.stringify(plain({ ...a, markouts: [undefined, undefined, undefined] })),
            );
          }
        });
        expect(s.records).toBe(first);
        expect(JSON.stringify(s.records)).toBe(
          JSON.stringify(trades.map((a) => plain({ ...a, markouts: [undefined, undefined, undefined] }))),
        );
      }),
      { seed: 20261206, numRuns: 200 },
    );
  });

  it('reads and writes as JSON exactly the plain records it was given', () => {
    fc.assert(
      fc.property(fc.array(added, { maxLength: 40 }), (trades) => {
        const s = store(trades);
        expect(s.records).toHaveLength(trades.length);
        expect(JSON.stringify(s.records, null, 2)).toBe(JSON.stringify(trades.map(plain), null, 2));
        s.records.forEach((r, i) => {
          const p = plain(trades[i] as Added);
          expect(JSON.parse(JSON.stringify(r))).toEqual(JSON.parse(JSON.stringify(p)));
          expect([
            r.time,
            r.market,
            r.strategy,
            r.side,
            r.price,
            r.volume,
            r.feeKrw,
            r.pnlKrw,
            r.reason,
          ]).toEqual([p.time, p.market, p.strategy, p.side, p.price, p.volume, p.feeKrw, p.pnlKrw, p.reason]);
          expect(r.maker).toBe(p.maker);
          expect(r.markoutBps).toEqual(p.markoutBps);
        });
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });

  it('reads back every reason among repeated, equal but distinct, and distinct texts', () => {
    // A small pool so texts repeat, as the same object or as an equal text built again (a fresh
    // cons string, as a fill's reason arrives); Korean, empty and lone-surrogate texts among them,
    // so a text kept as a string (its bytes written, then left uncounted) sits between written ones.
    const pool = [
      'quote bid L0: candle: half-spread 11.9 bps (σ 7.9 bps)',
      '호가 매수 L1: 캔들 스프레드 12.4 bps',
      '',
      'a\uD800b',
      '\uDFFF',
      'x😀y',
      'exit: take-profit',
    ];
    const pick = fc.tuple(fc.nat({ max: pool.length - 1 }), fc.boolean()).map(([k, fresh]) => {
      const text = pool[k] as string;
      // `${head}${tail}` of a split text: equal content, another string object.
      return fresh && text.length > 1 ? `${text.slice(0, 1)}${text.slice(1)}` : text;
    });
    const z = new Decimal(0);
    fc.assert(
      fc.property(fc.array(pick, { maxLength: 60 }), (reasons) => {
        const s = new TradeStore();
        for (const r of reasons) s.add(0 as EpochMs, 'KRW-BTC', 'market_making', 'bid', false, z, z, z, z, r);
        expect(s.records.map((r) => r.reason)).toEqual(reasons);
        expect(JSON.stringify(s.records.map((r) => r.reason))).toBe(JSON.stringify(reasons));
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });

  it('keeps rows exact across column blocks and text chunks (long texts, many rows)', () => {
    const long = 'σ'.repeat(600_000); // 1.2 MB of UTF-8: more than a chunk on its own
    const trades: Added[] = Array.from({ length: 9000 }, (_, i) => ({
      at: (i * 60_000) as EpochMs,
      market: i % 2 === 0 ? 'KRW-BTC' : 'KRW-ETH',
      strategy: 'market_making',
      side: i % 3 === 0 ? 'ask' : 'bid',
      maker: i % 5 !== 0,
      price: new Decimal(135_000_000 + i * 1000),
      volume: new Decimal(`0.${String(i).padStart(8, '0')}`),
      feeKrw: new Decimal(`${i}.5`),
      pnlKrw: new Decimal(i % 3 === 0 ? `-${i}.25` : '0'),
      reason: i === 4500 ? long : `quote bid L${i % 6}: candle: half-spread ${i} bps (σ ${i % 17} bps)`,
      markouts: [i, i % 7 === 0 ? undefined : -i, 0.5],
    }));
    const s = store(trades);
    expect(JSON.stringify(s.records)).toBe(JSON.stringify(trades.map(plain)));
    expect(s.records[4500]?.reason).toBe(long);
  });

  it('takes the mark-out tracker’s results into its rows', () => {
    const btc = parseMarket('KRW-BTC');
    const fill: Fill = {
      fillId: 'f',
      identifier: 'qts.x.0' as OrderIdentifier,
      market: btc,
      strategy: 'market_making',
      side: 'bid',
      price: price('100'),
      volume: volume('1'),
      fee: krw('0'),
      isMaker: true,
      at: 0 as EpochMs,
    };
    const s = new TradeStore();
    const tracker = new MarkoutTracker(60_000);
    const [p, v, z] = [new Decimal(100), new Decimal(1), new Decimal(0)];
    const row = s.add(fill.at, btc, 'market_making', 'bid', true, p, v, z, z, 'quote bid L0');
    tracker.trackInto(fill, s, row);
    const closes = (c: number): StepCloses => ({ close: () => c, previousClose: () => undefined });
    [101, 100, 100, 100, 99].forEach((c, i) => {
      tracker.onStep((i + 1) * 60_000, closes(c));
    });
    expect(s.records[0]?.markoutBps).toEqual({ 1: 100, 5: -100, 30: null });
  });

  it('toEqual compares stored trades by their record (shared/testing/jest-equality.ts), not as empty objects', () => {
    const s = new TradeStore();
    const [p, v, f] = [new Decimal(100), new Decimal(1), new Decimal('0.05')];
    s.add(0 as EpochMs, 'KRW-BTC', 'market_making', 'bid', true, p, v, f, new Decimal(0), 'quote bid L0');
    s.add(0 as EpochMs, 'KRW-BTC', 'market_making', 'bid', true, p, v, f, new Decimal(1), 'quote bid L0');
    expect(s.records[0]).not.toEqual(s.records[1]);
    expect(s.records[0]).toEqual(plainTradeRecord(s.records[0] as TradeRecord));
  });
});
