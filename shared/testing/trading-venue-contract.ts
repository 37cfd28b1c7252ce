import { isTradingError } from '../src/domain/errors/trading-error';
import type { Market } from '../src/domain/market/market-id';
import type { OrderDraft, OrderSide } from '../src/domain/orders/order-types';
import type { TradingVenue, VenueOrder } from '../src/ports/trading-venue';
import { BTC, nextId, type VenueSuite } from './trading-venue-contract-support';
import { venueFillCases } from './trading-venue-fill-cases';
import { venueOrderCases } from './trading-venue-order-cases';

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

const BOOK: ContractBook = { bids: [['149900000', '1']], asks: [['150100000', '0.25']] };

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

    const read = async (o: VenueOrder) => {
      const found = await venue.getOrder({ uuid: o.uuid });
      if (found === undefined) throw new Error(`order ${o.uuid} not found after placing it`);
      return found;
    };
    const suite: VenueSuite = {
      get h() {
        return h;
      },
      get venue() {
        return venue;
      },
      place: (draft: OrderDraft, identifier = nextId()) => venue.placeOrder({ ...draft, identifier }),
      read,
      account: async (currency: string) => {
        const row = (await venue.getBalances()).find((b) => b.currency === currency);
        return { balance: row?.balance.toFixed() ?? '0', locked: row?.locked.toFixed() ?? '0' };
      },
      refusal: async (attempt: Promise<unknown>) => {
        try {
          await attempt;
        } catch (error) {
          if (!isTradingError(error)) throw error;
          return { kind: error.kind, code: error.code };
        }
        throw new Error('expected the venue to refuse');
      },
    };
    venueFillCases(suite);
    venueOrderCases(suite);
  });
}
