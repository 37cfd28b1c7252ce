import { ManualClock } from '../../../shared/src/adapters/memory/manual-clock';
import {
  type FakeExchange,
  type FakeExchangeOptions,
  startFakeExchange,
} from '../../../shared/src/fake-exchange/fake-exchange';

/** 2026-11-25 13:00 UTC (22:00 KST), the instant of the synthetic lifecycle fixture. */
export const T0 = Date.UTC(2026, 10, 25, 13);

/** A fixed KRW-BTC book (tick 1,000 at this price): bids 149.9M / 149.8M, asks 150.1M / 150.2M. */
export const BTC_BOOK = {
  bids: [
    ['149900000', '1'],
    ['149800000', '2'],
  ],
  asks: [
    ['150100000', '0.25'],
    ['150200000', '1'],
  ],
} as const;

/** A fake on a free port whose market moves only when the test says so, with {@link BTC_BOOK}. */
export async function fixedMarket(
  options: FakeExchangeOptions = {},
): Promise<{ fake: FakeExchange; clock: ManualClock }> {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock(T0);
  const fake = await startFakeExchange({
    clock,
    markets: ['KRW-BTC', 'KRW-ETH'],
    balances: { KRW: '10000000', BTC: '1' },
    ...options,
  });
  fake.controls.setBook('KRW-BTC', BTC_BOOK);
  return { fake, clock };
}
