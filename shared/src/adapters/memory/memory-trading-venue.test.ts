import fc from 'fast-check';
import { isTradingError } from '../../domain/errors/trading-error';
import type { ExchangeEvent } from '../../domain/exchange/exchange-events';
import type { Market } from '../../domain/market/market-id';
import { type Decimal, sumDecimals, ZERO } from '../../domain/money/decimal';
import { krw, price, volume } from '../../domain/money/quantities';
import { orderIdentifier, parseDecisionId } from '../../domain/orders/identifiers';
import type { OrderDraft, OrderSide } from '../../domain/orders/order-types';
import type { EpochMs } from '../../domain/time/epoch';
import type { VenueOrder } from '../../ports/trading-venue';
import { ManualClock } from './manual-clock';
import { MemoryTradingVenue } from './memory-trading-venue';

const BTC = 'KRW-BTC' as Market;
const T0 = Date.UTC(2026, 10, 25, 4, 0, 0);
const FEE = '0.0005';

function newVenue(balances: Record<string, string> = { KRW: '1000000' }) {
  const clock = new ManualClock(T0);
  const venue = new MemoryTradingVenue({ markets: [BTC, 'KRW-ETH' as Market], clock, balances });
  venue.setBook(BTC, { bids: [['149900000', '1']], asks: [['150100000', '0.25']] });
  return { clock, venue };
}

function id(n: number) {
  return orderIdentifier(parseDecisionId(`venue-test-${n}`));
}

describe('MemoryTradingVenue beyond the port', () => {
  it('fills resting orders from a live order book and trade (float feed read back exactly)', async () => {
    const { venue } = newVenue();
    const bid = await venue.placeOrder({
      market: BTC,
      side: 'bid',
      ordType: 'limit',
      price: price('150000000'),
      volume: volume('0.001'),
      identifier: id(1),
    });
    venue.applyOrderbook({
      market: BTC,
      timestamp: T0 as EpochMs,
      bids: [{ price: 149_800_000, size: 0.5 }],
      asks: [{ price: 149_950_000, size: 0.0004 }],
    });
    expect((await venue.getOrder({ uuid: bid.uuid }))?.executedVolume.toFixed()).toBe('0.0004');
    venue.applyTrade({
      market: BTC,
      timestamp: T0 as EpochMs,
      price: 149_990_000,
      volume: 0.01,
      takerSide: 'ask',
      sequentialId: '1',
    });
    const done = await venue.getOrder({ uuid: bid.uuid });
    expect(done?.state).toBe('done');
    // Both fills at our limit (maker): 150,000 KRW + 75 fee.
    expect(done?.paidFee.toFixed()).toBe('75');
    const krwRow = (await venue.getBalances()).find((b) => b.currency === 'KRW');
    expect([krwRow?.balance.toFixed(), krwRow?.locked.toFixed()]).toEqual(['849925', '0']);
  });

  it('publishes engine events, isolates a throwing listener, and stops after unsubscribe', async () => {
    const { venue } = newVenue();
    const seen: ExchangeEvent['type'][] = [];
    const stop = venue.onEvent((e) => seen.push(e.type));
    await venue.placeOrder({
      market: BTC,
      side: 'bid',
      ordType: 'price',
      price: price('10000'),
      identifier: id(2),
    });
    expect(seen).toContain('order');
    expect(seen).toContain('asset');
    const noisy = venue.onEvent(() => {
      throw new Error('listener bug');
    });
    venue.fund('KRW', '2000000');
    expect(venue.listenerErrors).toBeGreaterThan(0);
    expect((await venue.getBalances())[0]?.balance.toFixed()).toBe('2000000');
    noisy();
    stop();
    const count = seen.length;
    venue.fund('KRW', '5');
    expect(seen).toHaveLength(count);
  });

  it('refuses unlisted markets with notfoundmarket and a burnt identifier with duplicated_identifier', async () => {
    const { venue } = newVenue();
    const draft: OrderDraft = {
      market: 'KRW-DOGE' as Market,
      side: 'bid',
      ordType: 'price',
      price: price('10000'),
    };
    await expect(venue.placeOrder({ ...draft, identifier: id(3) })).rejects.toMatchObject({
      kind: 'rejected',
      code: 'notfoundmarket',
    });
    const tooSmall = { ...draft, market: BTC, price: price('4000'), identifier: id(4) };
    await expect(venue.placeOrder(tooSmall)).rejects.toMatchObject({ code: 'under_min_total_bid' });
    await expect(venue.placeOrder({ ...tooSmall, price: price('10000') })).rejects.toMatchObject({
      kind: 'rejected',
      code: 'duplicated_identifier',
    });
  });

  it('survives a restart through exportState/restoreState with open orders still fillable', async () => {
    const { venue, clock } = newVenue();
    const bid = await venue.placeOrder({
      market: BTC,
      side: 'bid',
      ordType: 'limit',
      price: price('150000000'),
      volume: volume('0.001'),
      identifier: id(5),
    });
    const saved = JSON.parse(JSON.stringify(venue.exportState()));
    const restored = new MemoryTradingVenue({ markets: [BTC], clock });
    restored.restoreState(saved);
    restored.printTrade(BTC, '149000000', '1', 'ask');
    expect((await restored.getOrder({ identifier: id(5) }))?.state).toBe('done');
    expect((await restored.getOrder({ uuid: bid.uuid }))?.paidFee.toFixed()).toBe('75');
  });
});

type Op =
  | {
      kind: 'limit';
      side: OrderSide;
      priceK: number;
      volume: number;
      tif: 'gtc' | 'ioc' | 'fok' | 'post_only';
    }
  | { kind: 'marketBuy'; krw: number }
  | { kind: 'marketSell'; volume: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'trade'; priceK: number; volume: number; takerSide: OrderSide }
  | { kind: 'book'; midK: number; size: number }
  | { kind: 'deposit'; currency: 'KRW' | 'BTC'; amount: number };

const priceK = fc.integer({ min: 149_000, max: 151_000 }); // × 1,000 KRW: always on the 1,000 KRW grid
const vol = fc.integer({ min: 1, max: 600 }); // × 0.00001 BTC
const side = fc.constantFrom<OrderSide>('bid', 'ask');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('limit' as const),
    side,
    priceK,
    volume: vol,
    tif: fc.constantFrom('gtc' as const, 'ioc' as const, 'fok' as const, 'post_only' as const),
  }),
  fc.record({ kind: fc.constant('marketBuy' as const), krw: fc.integer({ min: 1_000, max: 300_000 }) }),
  fc.record({ kind: fc.constant('marketSell' as const), volume: vol }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('trade' as const), priceK, volume: vol, takerSide: side }),
  fc.record({ kind: fc.constant('book' as const), midK: priceK, size: vol }),
  fc.record({
    kind: fc.constant('deposit' as const),
    currency: fc.constantFrom<'KRW' | 'BTC'>('KRW', 'BTC'),
    amount: fc.integer({ min: 1, max: 500_000 }),
  }),
);

const p = (k: number) => price(String(k * 1000));
const v = (n: number) => volume((n / 100_000).toFixed(5));

/** Balance + locked of each currency must equal what deposits, fills and fees say, to the last digit. */
async function expectLedgerConsistent(
  venue: MemoryTradingVenue,
  uuids: readonly string[],
  deposits: Map<string, Decimal>,
) {
  const orders: VenueOrder[] = [];
  for (const uuid of uuids) {
    const o = await venue.getOrder({ uuid });
    if (o === undefined) throw new Error(`placed order ${uuid} vanished`);
    orders.push(o);
  }
  const bids = orders.filter((o) => o.side === 'bid');
  const asks = orders.filter((o) => o.side === 'ask');
  const funds = (o: VenueOrder) => o.executedFunds ?? ZERO;
  const expectedKrw = (deposits.get('KRW') ?? ZERO)
    .minus(sumDecimals(bids.map((o) => funds(o).plus(o.paidFee))))
    .plus(sumDecimals(asks.map((o) => funds(o).minus(o.paidFee))));
  const expectedBtc = (deposits.get('BTC') ?? ZERO)
    .plus(sumDecimals(bids.map((o) => o.executedVolume)))
    .minus(sumDecimals(asks.map((o) => o.executedVolume)));
  const open = (list: VenueOrder[]) =>
    sumDecimals(list.filter((o) => o.state === 'wait').map((o) => o.locked));
  const rows = await venue.getBalances();
  const row = (c: string) => rows.find((b) => b.currency === c) ?? { balance: ZERO, locked: ZERO };
  for (const [currency, expected, locked] of [
    ['KRW', expectedKrw, open(bids)],
    ['BTC', expectedBtc, open(asks)],
  ] as const) {
    const r = row(currency);
    expect([currency, r.balance.plus(r.locked).toFixed()]).toEqual([currency, expected.toFixed()]);
    expect([currency, r.locked.toFixed()]).toEqual([currency, locked.toFixed()]);
    expect(r.balance.isNegative() || r.locked.isNegative()).toBe(false);
  }
  for (const o of orders) expect(o.paidFee.toFixed()).toBe(funds(o).times(FEE).toFixed());
}

describe('MemoryTradingVenue ledger property', () => {
  it('never lets balance + locked drift from deposits − fees ± fills over random place/cancel/market sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const { venue, clock } = newVenue();
        const deposits = new Map<string, Decimal>([['KRW', krw('1000000')]]);
        const uuids: string[] = [];
        let n = 0;
        for (const o of ops) {
          clock.set(clock.now() + 1000);
          n += 1;
          const identifier = id(n);
          try {
            if (o.kind === 'limit') {
              const tif = o.tif === 'gtc' ? {} : { timeInForce: o.tif };
              const draft = {
                market: BTC,
                side: o.side,
                ordType: 'limit' as const,
                price: p(o.priceK),
                volume: v(o.volume),
              };
              uuids.push((await venue.placeOrder({ ...draft, ...tif, identifier })).uuid);
            } else if (o.kind === 'marketBuy')
              uuids.push(
                (
                  await venue.placeOrder({
                    market: BTC,
                    side: 'bid',
                    ordType: 'price',
                    price: price(String(o.krw)),
                    identifier,
                  })
                ).uuid,
              );
            else if (o.kind === 'marketSell')
              uuids.push(
                (
                  await venue.placeOrder({
                    market: BTC,
                    side: 'ask',
                    ordType: 'market',
                    volume: v(o.volume),
                    identifier,
                  })
                ).uuid,
              );
            else if (o.kind === 'cancel' && uuids.length > 0)
              await venue.cancelOrder({ uuid: uuids[o.pick % uuids.length] as string });
            else if (o.kind === 'trade') venue.printTrade(BTC, p(o.priceK), v(o.volume), o.takerSide);
            else if (o.kind === 'book') {
              const size = v(o.size).toFixed();
              venue.setBook(BTC, {
                bids: [
                  [p(o.midK - 1), size],
                  [p(o.midK - 5), '1'],
                ],
                asks: [
                  [p(o.midK + 1), size],
                  [p(o.midK + 5), '1'],
                ],
              });
            } else if (o.kind === 'deposit') {
              const current =
                (await venue.getBalances()).find((b) => b.currency === o.currency)?.balance ?? ZERO;
              const amount = o.currency === 'KRW' ? krw(String(o.amount)) : v(o.amount);
              venue.fund(o.currency, current.plus(amount));
              deposits.set(o.currency, (deposits.get(o.currency) ?? ZERO).plus(amount));
            }
          } catch (error) {
            // Refusals (funds, minimum, depth, already closed) are expected; anything else is a bug.
            if (!isTradingError(error, 'rejected')) throw error;
          }
          await expectLedgerConsistent(venue, uuids, deposits);
        }
      }),
      { numRuns: 150 },
    );
  });
});
