import { isTradingError } from '../src/domain/errors/trading-error';
import type { Market } from '../src/domain/market/market-id';
import { price, volume } from '../src/domain/money/quantities';
import { orderIdentifier, parseDecisionId } from '../src/domain/orders/identifiers';
import type { OrderDraft, OrderSide } from '../src/domain/orders/order-types';
import { SEND_BLOCKED, type TradingVenue, type VenueOrder } from '../src/ports/trading-venue';

/** Other traders' book as decimal-string rows `[price, size]`, best first (the fake exchange's BookSpec). */
export interface ContractBook {
  readonly bids: readonly (readonly [string, string])[];
  readonly asks: readonly (readonly [string, string])[];
}

/**
 * What a venue under test must let the suite do besides the port: the only way scenarios are set up,
 * so the same suite runs against the paper venue and against UpbitTradingVenue on the fake exchange.
 * Each factory call is a fresh account with no orders, listing at least KRW-BTC and KRW-ETH, with the
 * KRW rules in force (1,000 KRW ticks above 1,000,000 KRW, 5,000 KRW minimum, 0.05 % fees).
 */
export interface VenueHarness {
  readonly venue: TradingVenue;
  /** Sets the available balance of a currency; locked amounts are untouched. */
  fund(currency: string, amount: string): Promise<void> | void;
  /** Replaces other traders' liquidity of a market; may fill resting orders it crosses. */
  setBook(market: Market, book: ContractBook): Promise<void> | void;
  /** Prints another trader's trade; fills resting orders it crosses, at their own price. */
  printTrade(market: Market, price: string, volume: string, takerSide: OrderSide): Promise<void> | void;
  /** Releases what the factory started (servers, sockets). */
  dispose?(): Promise<void> | void;
}

/** Builds a fresh harness for each test. */
export type VenueHarnessFactory = () => Promise<VenueHarness> | VenueHarness;

const BTC = 'KRW-BTC' as Market;
const ETH = 'KRW-ETH' as Market;
const BOOK: ContractBook = { bids: [['149900000', '1']], asks: [['150100000', '0.25']] };
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
// Identifiers are unique forever on Upbit, so every run and every order gets a new one.
const RUN = `ct${Date.now().toString(36)}`;
let counter = 0;

function nextId() {
  counter += 1;
  return orderIdentifier(parseDecisionId(`${RUN}-${counter}`));
}

/** A limit order draft from decimal strings. */
function limit(side: OrderSide, p: string, v: string, extra: Partial<OrderDraft> = {}): OrderDraft {
  return { market: BTC, side, ordType: 'limit', price: price(p), volume: volume(v), ...extra };
}

/**
 * The behaviour every TradingVenue must have (PROTOCOL.md §5–§8): Upbit's order semantics, error names,
 * locks and fees exact to the won, and idempotent placement on the identifier. Answers of `placeOrder`
 * and `cancelOrder` may be the order as accepted (`wait`, as Upbit's body is) or a later state, so
 * outcomes are always read back with `getOrder`.
 */
export function describeTradingVenueContract(name: string, make: VenueHarnessFactory): void {
  describe(`TradingVenue contract: ${name}`, () => {
    let h: VenueHarness;
    let venue: TradingVenue;
    beforeEach(async () => {
      h = await make();
      venue = h.venue;
      await h.fund('KRW', '1000000');
      await h.setBook(BTC, BOOK);
    });
    afterEach(async () => {
      await h.dispose?.();
    });

    const place = (draft: OrderDraft, identifier = nextId()) => venue.placeOrder({ ...draft, identifier });
    const read = async (o: VenueOrder) => {
      const found = await venue.getOrder({ uuid: o.uuid });
      if (found === undefined) throw new Error(`order ${o.uuid} not found after placing it`);
      return found;
    };
    const account = async (currency: string) => {
      const row = (await venue.getBalances()).find((b) => b.currency === currency);
      return { balance: row?.balance.toFixed() ?? '0', locked: row?.locked.toFixed() ?? '0' };
    };
    const refusal = async (attempt: Promise<unknown>) => {
      try {
        await attempt;
      } catch (error) {
        if (!isTradingError(error)) throw error;
        return { kind: error.kind, code: error.code };
      }
      throw new Error('expected the venue to refuse');
    };

    it('rests a limit bid, locking price × volume + 0.05 %, and fills it as maker when a seller trades through', async () => {
      const placed = await place(limit('bid', '150000000', '0.002'));
      const resting = await read(placed);
      expect(resting).toMatchObject({ state: 'wait', side: 'bid', ordType: 'limit', market: BTC });
      expect(resting.locked.toFixed()).toBe('300150');
      expect(resting.reservedFee.toFixed()).toBe('150');
      expect(await account('KRW')).toEqual({ balance: '699850', locked: '300150' });
      await h.printTrade(BTC, '149999000', '0.002', 'ask');
      const filled = await read(placed);
      expect(filled.state).toBe('done');
      expect(filled.executedVolume.toFixed()).toBe('0.002');
      expect(filled.paidFee.toFixed()).toBe('150');
      expect(filled.trades?.map((t) => [t.price.toFixed(), t.funds.toFixed()])).toEqual([
        ['150000000', '300000'],
      ]);
      expect(await account('KRW')).toEqual({ balance: '699850', locked: '0' });
      expect(await account('BTC')).toEqual({ balance: '0.002', locked: '0' });
    });

    it('rests a limit ask, locking the volume, and fills it as maker when a buyer lifts it', async () => {
      await h.fund('BTC', '0.001');
      const placed = await place(limit('ask', '150200000', '0.001'));
      expect((await read(placed)).state).toBe('wait');
      expect(await account('BTC')).toEqual({ balance: '0', locked: '0.001' });
      await h.printTrade(BTC, '150300000', '0.001', 'bid');
      const filled = await read(placed);
      expect(filled.state).toBe('done');
      expect(filled.paidFee.toFixed()).toBe('75.1');
      expect(await account('KRW')).toEqual({ balance: '1150124.9', locked: '0' });
      expect(await account('BTC')).toEqual({ balance: '0', locked: '0' });
    });

    it('fills a crossing limit bid at once at the ask price and returns the price improvement', async () => {
      const filled = await read(await place(limit('bid', '150500000', '0.001')));
      expect(filled.state).toBe('done');
      expect(filled.trades?.map((t) => t.price.toFixed())).toEqual(['150100000']);
      expect(filled.paidFee.toFixed()).toBe('75.05');
      expect(await account('KRW')).toEqual({ balance: '849824.95', locked: '0' });
      expect(await account('BTC')).toEqual({ balance: '0.001', locked: '0' });
    });

    it('ends a market buy by KRW total in `cancel` with the floored volume, exact fee and no lock left', async () => {
      const placed = await place({ market: BTC, side: 'bid', ordType: 'price', price: price('10000') });
      expect(placed.volume).toBeUndefined();
      const done = await read(placed);
      expect(done.state).toBe('cancel');
      expect(done.executedVolume.toFixed()).toBe('0.00006662');
      expect(done.paidFee.toFixed()).toBe('4.999831');
      expect(done.trades?.map((t) => t.funds.toFixed())).toEqual(['9999.662']);
      expect(await account('KRW')).toEqual({ balance: '989995.338169', locked: '0' });
      expect(await account('BTC')).toEqual({ balance: '0.00006662', locked: '0' });
    });

    it('fills a market sell against the bids and takes the fee out of the proceeds', async () => {
      await h.fund('BTC', '0.0005');
      const done = await read(
        await place({ market: BTC, side: 'ask', ordType: 'market', volume: volume('0.0005') }),
      );
      expect(done.state).toBe('done');
      expect(done.paidFee.toFixed()).toBe('37.475');
      expect(done.trades?.map((t) => t.funds.toFixed())).toEqual(['74950']);
      expect(await account('KRW')).toEqual({ balance: '1074912.525', locked: '0' });
      expect(await account('BTC')).toEqual({ balance: '0', locked: '0' });
    });

    it('never lets a post_only order take: refused, or cancelled with no fill and nothing locked', async () => {
      const identifier = nextId();
      let outcome: VenueOrder | { kind: string; code: string } | undefined;
      try {
        outcome = await read(
          await place(limit('bid', '150100000', '0.001', { timeInForce: 'post_only' }), identifier),
        );
      } catch (error) {
        if (!isTradingError(error)) throw error;
        outcome = { kind: error.kind, code: error.code };
      }
      if ('state' in outcome)
        expect([outcome.state, outcome.executedVolume.toFixed()]).toEqual(['cancel', '0']);
      else expect(outcome.kind).toBe('rejected');
      expect(await account('KRW')).toEqual({ balance: '1000000', locked: '0' });
      const maker = await read(await place(limit('bid', '150000000', '0.001', { timeInForce: 'post_only' })));
      expect(maker.state).toBe('wait');
    });

    it.each([
      { code: 'invalid_price_bid', draft: limit('bid', '150000500', '0.001'), why: 'an off-tick bid' },
      { code: 'invalid_price_ask', draft: limit('ask', '150200500', '0.001'), why: 'an off-tick ask' },
      {
        code: 'under_min_total_bid',
        draft: limit('bid', '150000000', '0.00003'),
        why: 'a bid under 5,000 KRW',
      },
      {
        code: 'under_min_total_ask',
        draft: limit('ask', '150200000', '0.00003'),
        why: 'an ask under 5,000 KRW',
      },
      {
        code: 'invalid_volume_bid',
        draft: limit('bid', '150000000', '0.001000001'),
        why: 'a 9-decimal bid volume',
      },
      {
        code: 'invalid_volume_ask',
        draft: limit('ask', '150200000', '0.001000001'),
        why: 'a 9-decimal ask volume',
      },
    ])('refuses $why with $code (kind rejected) and creates nothing', async ({ draft, code }) => {
      await h.fund('BTC', '0.01');
      const identifier = nextId();
      expect(await refusal(place(draft, identifier))).toEqual({ kind: 'rejected', code });
      expect(await venue.getOrder({ identifier })).toBeUndefined();
      expect(await venue.listOpenOrders()).toEqual([]);
      expect(await account('KRW')).toEqual({ balance: '1000000', locked: '0' });
      expect(await account('BTC')).toEqual({ balance: '0.01', locked: '0' });
    });

    it('refuses orders beyond the available balance and accepts one that needs exactly all of it', async () => {
      await h.fund('BTC', '0.005');
      expect(await refusal(place(limit('bid', '150000000', '0.01')))).toEqual({
        kind: 'rejected',
        code: 'insufficient_funds_bid',
      });
      expect(await refusal(place(limit('ask', '150200000', '0.01')))).toEqual({
        kind: 'rejected',
        code: 'insufficient_funds_ask',
      });
      await h.fund('KRW', '300150');
      expect((await read(await place(limit('bid', '150000000', '0.002')))).state).toBe('wait');
      expect(await account('KRW')).toEqual({ balance: '0', locked: '300150' });
    });

    it('returns the existing order when an identifier is placed again, never a second order', async () => {
      const identifier = nextId();
      const first = await place(limit('bid', '150000000', '0.002'), identifier);
      const again = await place(limit('bid', '149000000', '0.001'), identifier);
      expect(again.uuid).toBe(first.uuid);
      expect((await venue.listOpenOrders(BTC)).map((o) => o.uuid)).toEqual([first.uuid]);
      expect(await account('KRW')).toEqual({ balance: '699850', locked: '300150' });
      await h.printTrade(BTC, '149999000', '0.002', 'ask');
      const afterFill = await place(limit('bid', '150000000', '0.002'), identifier);
      expect([afterFill.uuid, afterFill.state]).toEqual([first.uuid, 'done']);
      expect(await account('KRW')).toEqual({ balance: '699850', locked: '0' });
    });

    it('cancels an open order, releases its lock, and answers order_not_found to a second cancel', async () => {
      const identifier = nextId();
      const placed = await place(limit('bid', '150000000', '0.002'), identifier);
      const answer = await venue.cancelOrder({ uuid: placed.uuid });
      expect(answer.uuid).toBe(placed.uuid);
      expect(['wait', 'cancel']).toContain(answer.state);
      expect((await read(placed)).state).toBe('cancel');
      expect(await account('KRW')).toEqual({ balance: '1000000', locked: '0' });
      expect(await venue.listOpenOrders()).toEqual([]);
      expect(await refusal(venue.cancelOrder({ identifier }))).toEqual({
        kind: 'rejected',
        code: 'order_not_found',
      });
    });

    it('keeps the filled part of a partly filled order when it is cancelled', async () => {
      const placed = await place(limit('bid', '150000000', '0.002'));
      await h.printTrade(BTC, '149999000', '0.0005', 'ask');
      const partial = await read(placed);
      expect([partial.state, partial.remainingVolume?.toFixed(), partial.locked.toFixed()]).toEqual([
        'wait',
        '0.0015',
        '225112.5',
      ]);
      expect(partial.paidFee.toFixed()).toBe('37.5');
      await venue.cancelOrder({ uuid: placed.uuid });
      const cancelled = await read(placed);
      expect([cancelled.state, cancelled.executedVolume.toFixed()]).toEqual(['cancel', '0.0005']);
      expect(await account('KRW')).toEqual({ balance: '924962.5', locked: '0' });
      expect(await account('BTC')).toEqual({ balance: '0.0005', locked: '0' });
    });

    it('knows nothing of unknown uuids and identifiers', async () => {
      const identifier = nextId();
      expect(await venue.getOrder({ uuid: UNKNOWN_UUID })).toBeUndefined();
      expect(await venue.getOrder({ identifier })).toBeUndefined();
      const notFound = { kind: 'rejected', code: 'order_not_found' };
      expect(await refusal(venue.cancelOrder({ uuid: UNKNOWN_UUID }))).toEqual(notFound);
      expect(await refusal(venue.cancelOrder({ identifier }))).toEqual(notFound);
    });

    it('finds the same order with its trades by uuid and by identifier', async () => {
      const identifier = nextId();
      const placed = await place(limit('bid', '150500000', '0.001'), identifier);
      const byUuid = await venue.getOrder({ uuid: placed.uuid });
      const byIdentifier = await venue.getOrder({ identifier });
      expect(byUuid?.identifier).toBe(identifier);
      expect(byIdentifier?.uuid).toBe(placed.uuid);
      expect(byIdentifier?.state).toBe(byUuid?.state);
      expect(byUuid?.trades?.map((t) => [t.side, t.volume.toFixed()])).toEqual([['bid', '0.001']]);
      expect(byIdentifier?.trades?.map((t) => t.uuid)).toEqual(byUuid?.trades?.map((t) => t.uuid));
    });

    it('sends nothing when the send guard gives a reason, and refuses with send_blocked', async () => {
      const identifier = nextId();
      const blocked = venue.placeOrder(
        { ...limit('bid', '150000000', '0.002'), identifier },
        () => 'latched',
      );
      expect(await refusal(blocked)).toEqual({ kind: 'rejected', code: SEND_BLOCKED });
      expect(await venue.getOrder({ identifier })).toBeUndefined();
      expect(await account('KRW')).toEqual({ balance: '1000000', locked: '0' });
      const asked: string[] = [];
      await venue.placeOrder({ ...limit('bid', '150000000', '0.002'), identifier: nextId() }, () => {
        asked.push('asked');
        return undefined;
      });
      expect(asked.length).toBeGreaterThanOrEqual(1);
    });

    it('lists open orders per market and drops them once closed', async () => {
      const btc = await place(limit('bid', '150000000', '0.002'));
      const eth = await place({ ...limit('bid', '5000000', '0.002'), market: ETH });
      const gone = await place(limit('bid', '149000000', '0.001'));
      await venue.cancelOrder({ uuid: gone.uuid });
      expect((await venue.listOpenOrders(BTC)).map((o) => o.uuid)).toEqual([btc.uuid]);
      expect((await venue.listOpenOrders(ETH)).map((o) => [o.uuid, o.market])).toEqual([[eth.uuid, ETH]]);
      const all = await venue.listOpenOrders();
      expect(all.map((o) => o.uuid).sort()).toEqual([btc.uuid, eth.uuid].sort());
      expect(all.every((o) => o.state === 'wait')).toBe(true);
    });

    it('books a buy-then-sell round trip exact to the won: deposits − fees ± fills', async () => {
      const buy = await read(await place(limit('bid', '150500000', '0.001')));
      expect(buy.executedVolume.toFixed()).toBe('0.001');
      const sell = await place(limit('ask', '150300000', '0.001'));
      expect(await account('BTC')).toEqual({ balance: '0', locked: '0.001' });
      await h.printTrade(BTC, '150400000', '0.001', 'bid');
      const sold = await read(sell);
      expect(sold.state).toBe('done');
      expect(buy.paidFee.plus(sold.paidFee).toFixed()).toBe('150.2');
      expect(await account('KRW')).toEqual({ balance: '1000049.8', locked: '0' });
      expect(await account('BTC')).toEqual({ balance: '0', locked: '0' });
    });
  });
}
