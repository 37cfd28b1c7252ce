import fc from 'fast-check';
import { MemoryStateStore } from '../../adapters/memory/memory-state-store';
import { parseMarket } from '../../domain/market/market-id';
import { krw, price, volume } from '../../domain/money/quantities';
import { orderIdentifier, parseDecisionId } from '../../domain/orders/identifiers';
import type { EpochMs } from '../../domain/time/epoch';
import type { Fill } from '../../domain/trading/fill';
import { recordFill } from './record-fill';

/*
 * Audit (issue 16 follow-up): booking fills is idempotent on the fill id ("a fill seen on the
 * WebSocket, in the venue's trade list and by the REST backstop is booked exactly once",
 * fill-booking.ts). The same trade reaches the executor with `at` from the private stream's
 * trade_timestamp (or the event's timestamp when absent) and from REST's trade created_at.
 */

const BTC = parseMarket('KRW-BTC');
const T = Date.parse('2026-12-05T03:00:00Z');

function fill(id: string, side: 'bid' | 'ask', units: number, at: number): Fill {
  return {
    fillId: `${id}.${side}`,
    identifier: orderIdentifier(parseDecisionId('audit-fill')),
    market: BTC,
    strategy: 'momentum_scalping',
    side,
    price: price('100000000'),
    volume: volume(`${units}e-8`),
    fee: krw('0'),
    isMaker: true,
    at: at as EpochMs,
  };
}

describe('audit: recordFill idempotency', () => {
  it('replays with the same instant are duplicates and the position is the sum of distinct fills', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            units: fc.integer({ min: 1, max: 10 ** 6 }),
            sell: fc.boolean(),
            replay: fc.boolean(),
          }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        async (steps) => {
          const store = new MemoryStateStore();
          let held = 0;
          let i = 0;
          for (const s of steps) {
            i += 1;
            const side = s.sell && held > 0 ? 'ask' : 'bid';
            const units = side === 'ask' ? Math.min(held, s.units) : s.units;
            const f = fill(`t${i}`, side, units, T + i * 1000);
            expect((await recordFill(store, f, krw('1000000'))).outcome).toBe('applied');
            held += side === 'bid' ? units : -units;
            if (s.replay) expect((await recordFill(store, f, krw('1000000'))).outcome).toBe('duplicate');
          }
          const p = await store.getPosition(BTC, 'momentum_scalping');
          expect(p?.volume.toFixed()).toBe(volume(`${held}e-8`).toFixed());
        },
      ),
      { seed: 20261205, numRuns: 200 },
    );
  });

  // Found by this audit (fixed): the duplicate pre-check looked for the fill id only among fills at
  // the very same millisecond, so a replay carrying another `at` (REST created_at vs the stream's
  // trade_timestamp, whose equality PROTOCOL.md does not promise, or the event timestamp when
  // trade_timestamp is missing) reached the accounting, which saw a sell larger than what was left
  // and threw the fatal `oversold_position`: a full exit observed twice halted the executor instead
  // of being ignored. recordFill now looks the id up (FillJournal.hasFill).
  it('a replayed sell to flat with a different millisecond is a duplicate, not an oversell', async () => {
    const store = new MemoryStateStore();
    await recordFill(store, fill('buy', 'bid', 1000, T), krw('1000000'));
    const viaStream = fill('sell', 'ask', 1000, T + 5123);
    const viaRest = { ...viaStream, at: (T + 5000) as EpochMs };
    expect((await recordFill(store, viaStream, krw('1000000'))).outcome).toBe('applied');
    expect((await recordFill(store, viaRest, krw('1000000'))).outcome).toBe('duplicate');
  });
});
