import fc from 'fast-check';
import { quoteOrderReason } from '../../domain/ensemble/order-plan';
import type { Market } from '../../domain/market/market-id';
import { Decimal } from '../../domain/money/decimal';
import { numberOf } from '../../domain/money/decimal-units';
import { type Krw, krw, type Price, price, type Volume, volume } from '../../domain/money/quantities';
import type { OrderIdentifier } from '../../domain/orders/identifiers';
import type { OrderSide } from '../../domain/orders/order-types';
import { QuoteReason } from '../../domain/strategies/market-making/quote-reason';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision, SignalContribution } from '../../domain/trading/decision';
import type { Fill } from '../../domain/trading/fill';
import { STRATEGY_NAMES, StrategyName } from '../../domain/trading/strategy-name';
import { SimFill } from './sim-fill';
import { reasonOf, type SimOrder, soleReason } from './sim-order';
import { reasonDecision } from './testing/reason-decision';

const mm = StrategyName.marketMaking;
const quoteReason = fc
  .tuple(
    fc.constantFrom<'candle' | 'book'>('candle', 'book'),
    fc.double(),
    fc.double(),
    fc.double(),
    fc.string({ unit: fc.constantFrom('a', 'σ', ' ', '%', '\uD800') }),
  )
  .map(([source, h, s, k, tail]) => new QuoteReason(source, h, s, k, tail));
const plainSignal: fc.Arbitrary<SignalContribution> = fc.record({
  strategy: fc.constantFrom(...STRATEGY_NAMES),
  score: fc.double({ noNaN: true }),
  weight: fc.double({ noNaN: true }),
  reason: fc.string({ unit: fc.constantFrom('r', ';', ' ', 'σ') }),
});
const signals = fc.oneof(
  quoteReason.map((q) => [q]),
  fc.array(fc.oneof(plainSignal, quoteReason), { maxLength: 3 }),
);

/** A limit order of `side` as the broker holds it: its reason text, or its decision and leg. */
function orderOf(
  side: OrderSide,
  text: string | undefined,
  decision: Decision,
  leg: number | undefined,
): SimOrder {
  return {
    market: 'KRW-BTC' as Market,
    strategy: mm,
    spec: {
      kind: 'limit',
      side,
      price: price(new Decimal(100)),
      volume: volume(new Decimal(1)),
      postOnly: true,
    },
    reason: text,
    quoteOf: text === undefined ? decision : undefined,
    leg,
    placedAt: 0 as EpochMs,
    lockedKrw: krw(new Decimal(0)),
    lazyLock: 0,
    remaining: volume(new Decimal(1)),
  };
}

function fillOf(side: OrderSide): Fill {
  return {
    fillId: 'sim-1',
    identifier: 'qts.mm.0.0' as OrderIdentifier,
    market: 'KRW-BTC' as Market,
    strategy: mm,
    side,
    price: new Decimal(100) as Price,
    volume: new Decimal(1) as Volume,
    fee: new Decimal('0.05') as Krw,
    isMaker: true,
    at: 0 as EpochMs,
  };
}

describe('SimFill', () => {
  it('reads the order’s reason text, and its parts make that text wherever it has them', () => {
    let parts = 0;
    fc.assert(
      fc.property(
        signals,
        fc.oneof(fc.constant(mm), fc.constantFrom('ensemble' as const, ...STRATEGY_NAMES)),
        fc.oneof(fc.constant(mm), fc.constantFrom(...STRATEGY_NAMES)),
        fc.constantFrom<OrderSide>('bid', 'ask'),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
        (list, source, owner, side, text, leg) => {
          const decision = reasonDecision(list, source, owner);
          const f = new SimFill(
            fillOf(side),
            krw(new Decimal(0)),
            decision.id,
            orderOf(side, text, decision, leg),
          );
          // The oracle: reasonOf of an order of its own (it keeps the text it makes on the order).
          const expected = reasonOf(orderOf(side, text, decision, leg));
          expect(f.reason).toBe(expected);
          const only = list[0];
          const sole =
            text === undefined && soleReason(decision) !== undefined && only instanceof QuoteReason;
          expect(f.quoteReason).toBe(sole ? only : undefined);
          if (f.quoteReason !== undefined) {
            parts += 1;
            const twin = new QuoteReason(
              f.quoteReason.source,
              f.quoteReason.halfSpreadBps,
              f.quoteReason.sigmaBps,
              f.quoteReason.skewBps,
              f.quoteReason.tail,
            );
            expect(quoteOrderReason(f.reasonSide, f.reasonLeg, twin.reason)).toBe(expected);
          }
          // JSON: the literal a fill was before its reason became lazy.
          expect(JSON.stringify(f)).toBe(
            JSON.stringify({
              fill: f.fill,
              realizedPnl: f.realizedPnl,
              reason: expected,
              decisionId: decision.id,
            }),
          );
        },
      ),
      { seed: 20261207, numRuns: 1_000 },
    );
    expect(parts).toBeGreaterThan(50);
  });

  it('realizedNumber is numberOf(realizedPnl), read any number of times', () => {
    const decision = reasonDecision([], mm, mm);
    const pnl = fc.oneof(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((n) => `${n}e-20`),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => `${x}`),
      fc.constantFrom('0', '-0', '1e-20', '123456789.12345678901234567890', 'NaN'),
    );
    fc.assert(
      fc.property(pnl, fc.integer({ min: 1, max: 3 }), (text, reads) => {
        const realized = krw(new Decimal(text));
        const f = new SimFill(fillOf('ask'), realized, decision.id, orderOf('ask', 'r', decision, 0));
        for (let i = 0; i < reads; i++) expect(Object.is(f.realizedNumber, numberOf(realized))).toBe(true);
      }),
      { seed: 20261207, numRuns: 2_000 },
    );
  });
});
