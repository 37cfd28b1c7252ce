import { MarketState } from '../../executor/src/feed/market-state';
import { reconcileBalances } from '../../executor/src/reconcile/balance-reconciliation';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import { Decimal, ZERO } from '../../shared/src/domain/money/decimal';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Balance } from '../../shared/src/ports/trading-venue';
import { BTC, T0 } from './support/memory-world';

const decision = makeDecisionId('rec', BTC, T0 as EpochMs, 1);

async function buy(store: MemoryStateStore, fillId: string, qty: string, at: number): Promise<void> {
  await recordFill(
    store,
    {
      fillId,
      identifier: orderIdentifier(decision, 0, 0),
      market: BTC,
      strategy: 'momentum_scalping',
      side: 'bid',
      price: price('100000000'),
      volume: volume(qty),
      fee: krw('50'),
      isMaker: true,
      at: at as EpochMs,
    },
    krw('10000000'),
  );
}

function btc(amount: string): Balance[] {
  return [{ currency: 'BTC', balance: new Decimal(amount), locked: ZERO, avgBuyPrice: ZERO }];
}

function deps(store: MemoryStateStore, clock: ManualClock, balances: () => Balance[]) {
  const market = new MarketState([BTC]);
  market.applyBook({
    market: BTC,
    timestamp: T0 as EpochMs,
    bids: [{ price: 99_999_000, size: 1 }],
    asks: [{ price: 100_000_000, size: 1 }],
  });
  return {
    store,
    venue: { getBalances: async () => balances() },
    market,
    clock,
    markets: [BTC],
    equity: async () => krw('10000000'),
    live: false,
    dryRun: false,
  };
}

// Found by the reliability campaign (test/reliability, crash injection): a maker order filled on
// the venue between the reconciler settling it and reading the balances; its fill was being booked
// by the event path meanwhile, so the coins looked like a surplus and were booked as the operator's,
// then taken back as a deficit five seconds later.
describe('balance reconciliation with fills in flight', () => {
  it('books nothing for a difference that a fill being booked explains', async () => {
    const clock = new ManualClock(T0);
    const store = new MemoryStateStore();
    await buy(store, 'a.bid', '0.001', T0);
    const result = await reconcileBalances({
      ...deps(store, clock, () => btc('0.0014')),
      // The in-flight fill lands while the reconciler settles the market's working orders.
      settle: async () => buy(store, 'b.bid', '0.0004', T0 + 1),
    });
    expect(result.found).toEqual([]);
    const fills = await store.listFills({ from: (T0 - 1) as EpochMs, to: (T0 + 10) as EpochMs });
    expect(fills.map((f) => f.fillId).sort()).toEqual(['a.bid', 'b.bid']);
    expect((await store.listPositions()).map((p) => [p.strategy, p.volume.toFixed()])).toEqual([
      ['momentum_scalping', '0.0014'],
    ]);
  });

  it('still books a difference that survives the second look (coins deposited by the operator)', async () => {
    const clock = new ManualClock(T0);
    const store = new MemoryStateStore();
    await buy(store, 'a.bid', '0.001', T0);
    let settled = 0;
    const result = await reconcileBalances({
      ...deps(store, clock, () => btc('0.0015')),
      settle: async () => {
        settled += 1;
      },
    });
    expect(settled).toBe(1);
    expect(result.found.map((f) => f.kind)).toEqual(['balance_surplus']);
    const operator = (await store.listPositions()).find((p) => p.strategy === 'operator');
    expect(operator?.volume.toFixed()).toBe('0.0005');
  });
});
