import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaperVenue } from '../../executor/src/wiring/paper-venue';
import { MemoryLogger } from '../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { price, volume } from '../../shared/src/domain/money/quantities';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { BTC, T0 } from './support/memory-world';

describe('paper venue', () => {
  it('fills resting orders only when the tape trades through them, and survives a restart from its file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-paper-'));
    try {
      const clock = new ManualClock(T0);
      const options = {
        markets: [BTC],
        clock,
        logger: new MemoryLogger(clock),
        stateFile: join(dir, 'paper.json'),
        balanceKrw: 1_000_000,
      };
      const first = new PaperVenue(options);
      const book = (bid: number, ask: number) => ({
        market: BTC,
        timestamp: clock.now(),
        bids: [{ price: bid, size: 1 }],
        asks: [{ price: ask, size: 1 }],
      });
      first.onBook(book(100_000_000, 100_001_000));
      const changed: string[] = [];
      const order = await first.placeOrder({
        market: BTC,
        side: 'bid',
        ordType: 'limit',
        price: price('99990000'),
        volume: volume('0.005'),
        timeInForce: 'post_only',
        identifier: 'qts.paper-1.0.0' as never,
      });
      expect(order.state).toBe('wait');

      // Killed and restarted: the account and the resting order come back from the file.
      const second = new PaperVenue(options);
      second.onOrderChange((identifier) => changed.push(identifier ?? ''));
      second.onBook(book(100_000_000, 100_001_000));
      expect((await second.listOpenOrders()).map((o) => o.identifier)).toEqual(['qts.paper-1.0.0']);
      // A trade AT our price is a touch, not a fill (the backtester's rule); through it, we fill.
      second.onTrade({
        market: BTC,
        timestamp: clock.now(),
        price: 99_990_000,
        volume: 0.01,
        takerSide: 'ask',
        sequentialId: '1',
      });
      expect((await second.getOrder({ identifier: 'qts.paper-1.0.0' }))?.state).toBe('wait');
      second.onTrade({
        market: BTC,
        timestamp: (clock.now() + 1) as EpochMs,
        price: 99_989_000,
        volume: 0.01,
        takerSide: 'ask',
        sequentialId: '2',
      });
      const filled = await second.getOrder({ identifier: 'qts.paper-1.0.0' });
      expect(filled?.state).toBe('done');
      expect(changed).toContain('qts.paper-1.0.0');
      // Filled at our limit price as a maker: 1,000,000 − (499,950 KRW + 0.05 % fee 249.975).
      const krw = (await new PaperVenue(options).getBalances()).find((b) => b.currency === 'KRW');
      expect(krw?.balance.plus(krw.locked).toFixed()).toBe('499800.025');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
