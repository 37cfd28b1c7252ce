import fc from 'fast-check';
import { quoteOrderReason } from '../../domain/ensemble/order-plan';
import { Decimal } from '../../domain/money/decimal';
import type { OrderSide } from '../../domain/orders/order-types';
import { QuoteReason, QuoteReasonText } from '../../domain/strategies/market-making/quote-reason';
import type { EpochMs } from '../../domain/time/epoch';
import type { FillReason } from './quote-reasons';
import { TradeStore } from './trade-store';

// The doubles a reason formats: market making's bps values (one decimal, ties of toFixed's
// rounding such as 0.05 and 1.25 among them), −0, NaN, ±∞, huge and tiny values, and any double.
const bps = fc.oneof(
  fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 100),
  fc.constantFrom(-0, 0, 0.05, 0.15, 1.25, -2.45, 1e9, -1e21, 1e-7, Number.NaN, Infinity, -Infinity),
  fc.double(),
);

// Tails as the formatter makes them, and any text (σ, lone surrogates, empty): the store interns
// them as strings, so whatever they hold comes back.
const tailText = fc.oneof(
  fc
    .tuple(fc.double({ min: -1, max: 1 }), fc.integer({ min: -100, max: 100 }))
    .map(([imbalance, inventory]) => {
      const r = new QuoteReasonText().reasonOf('candle', 1, 1, 1, imbalance, inventory);
      return r.tail;
    }),
  fc.string({ unit: fc.constantFrom('a', 'σ', ' ', '%', '\uD800', '\uDFFF', '\uD83D\uDE00') }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

interface Drawn {
  readonly text: string | undefined;
  readonly source: 'candle' | 'book';
  readonly half: number;
  readonly sigma: number;
  readonly skew: number;
  readonly tail: string;
  readonly side: OrderSide;
  readonly leg: number;
  /** Hand the tail on as an equal text of another string object (a fresh cons string). */
  readonly freshTail: boolean;
}

const drawn: fc.Arbitrary<Drawn> = fc.record({
  // A text instead of parts (another strategy's reason, or an eager order's).
  text: fc.option(fc.string({ unit: fc.constantFrom('q', 'σ', ' ', ':', '\uD800') }), { nil: undefined }),
  source: fc.constantFrom<'candle' | 'book'>('candle', 'book'),
  half: bps,
  sigma: bps,
  skew: bps,
  tail: tailText,
  side: fc.constantFrom<OrderSide>('bid', 'ask'),
  // Identifier legs are 0–99; the others (which the store keeps as text) guard the packing.
  leg: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constantFrom(-1, 100, 1 << 29, 1.5, Number.NaN)),
  freshTail: fc.boolean(),
});

/** The fill reason of `d` as the broker hands it on, and the text it stands for, made eagerly. */
function reasonOf(d: Drawn): { given: FillReason; text: string } {
  const tail = d.freshTail && d.tail.length > 1 ? `${d.tail.slice(0, 1)}${d.tail.slice(1)}` : d.tail;
  const q = new QuoteReason(d.source, d.half, d.sigma, d.skew, tail);
  // The text from a twin, so the store's reason cannot be the memo of the QuoteReason it was given.
  const twin = new QuoteReason(d.source, d.half, d.sigma, d.skew, d.tail);
  const legText = Number.isInteger(d.leg) && d.leg >= 0 && d.leg <= 99;
  const text = d.text ?? quoteOrderReason(d.side, d.leg, twin.reason);
  const quoteReason = d.text === undefined ? q : undefined;
  const given: FillReason = {
    // The text a fill reads when the store does not keep parts (another leg's text when it does,
    // so a store reading it instead of the parts is caught).
    reason: d.text ?? (legText ? 'not this text' : text),
    quoteReason,
    reasonSide: d.side,
    reasonLeg: d.leg,
  };
  return { given, text };
}

describe('QuoteReasons (a trade store keeping market making reasons as parts)', () => {
  it('reads back the very text of every reason, kept as parts or as text, in any mix', () => {
    const z = new Decimal(0);
    fc.assert(
      fc.property(fc.array(drawn, { maxLength: 50 }), (list) => {
        const reasons = list.map(reasonOf);
        const s = new TradeStore();
        const plain = new TradeStore();
        for (const { given, text } of reasons) {
          s.add(0 as EpochMs, 'KRW-BTC', 'market_making', 'bid', true, z, z, z, z, given);
          plain.add(0 as EpochMs, 'KRW-BTC', 'market_making', 'bid', true, z, z, z, z, text);
        }
        expect(s.records.map((r) => r.reason)).toEqual(reasons.map((r) => r.text));
        expect(JSON.stringify(s.records)).toBe(JSON.stringify(plain.records));
      }),
      { seed: 20261207, numRuns: 400 },
    );
  });

  it('keeps a run of one market’s layers exact across blocks (the tail repeated, then changed)', () => {
    const s = new TradeStore();
    const z = new Decimal(0);
    const texts: string[] = [];
    const formatter = new QuoteReasonText();
    for (let i = 0; i < 10_000; i++) {
      const q = formatter.reasonOf(i % 7 === 0 ? 'book' : 'candle', i / 10, (i % 97) / 3, -i / 20, 0, i >> 9);
      const side: OrderSide = i % 2 === 0 ? 'bid' : 'ask';
      const leg = i % 100;
      texts.push(
        quoteOrderReason(
          side,
          leg,
          new QuoteReason(q.source, q.halfSpreadBps, q.sigmaBps, q.skewBps, q.tail).reason,
        ),
      );
      s.add(0 as EpochMs, 'KRW-BTC', 'market_making', side, true, z, z, z, z, {
        reason: 'unread',
        quoteReason: q,
        reasonSide: side,
        reasonLeg: leg,
      });
    }
    expect(s.records.map((r) => r.reason)).toEqual(texts);
  });
});
