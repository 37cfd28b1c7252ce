import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { PaperVenue } from '../../executor/src/wiring/paper-venue';
import { MemoryLogger } from '../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryTradingVenue } from '../../shared/src/adapters/memory/memory-trading-venue';
import type { OrderbookSnapshot, Trade } from '../../shared/src/domain/market/market-data';
import { price, volume } from '../../shared/src/domain/money/quantities';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { PlaceOrderRequest, TradingVenue, VenueOrder } from '../../shared/src/ports/trading-venue';
import { BTC, ETH, T0 } from './support/memory-world';

// BTC and ETH near 100,000,000 and 5,000,000 KRW (ticks 1,000 and 1,000 on the 2026 table).
const MARKETS = [BTC, ETH] as const;
const MIDS = [100_000_000, 5_000_000] as const;
const TICK = 1_000;

type Step =
  | { kind: 'book'; m: number; bid: number; ask: number; sizes: number[] }
  | { kind: 'trade'; m: number; off: number; size: number; taker: 'bid' | 'ask' }
  | { kind: 'place'; m: number; side: 'bid' | 'ask'; off: number; size: number; post: boolean }
  | { kind: 'market'; m: number; side: 'bid' | 'ask' }
  | { kind: 'cancel'; pick: number };

const market = fc.integer({ min: 0, max: 1 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('book' as const),
      m: market,
      bid: fc.integer({ min: -4, max: 2 }),
      ask: fc.integer({ min: 1, max: 5 }),
      sizes: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 2, maxLength: 6 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('trade' as const),
      m: market,
      off: fc.integer({ min: -5, max: 5 }),
      size: fc.integer({ min: 1, max: 60 }),
      taker: fc.constantFrom('bid' as const, 'ask' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      m: market,
      side: fc.constantFrom('bid' as const, 'ask' as const),
      off: fc.integer({ min: -4, max: 4 }),
      size: fc.integer({ min: 1, max: 30 }),
      post: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('market' as const),
      m: market,
      side: fc.constantFrom('bid' as const, 'ask' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
);

/** Book levels from a step: prices `mid + k·tick` outward from the touch, sizes in 0.001 units. */
function bookOf(s: Extract<Step, { kind: 'book' }>, at: number): OrderbookSnapshot {
  const mid = MIDS[s.m] ?? 0;
  const bid = mid + Math.min(s.bid, s.ask - 1) * TICK;
  const ask = mid + s.ask * TICK;
  const side = (from: number, dir: number) =>
    s.sizes.map((n, i) => ({ price: from + dir * i * TICK, size: n / 1000 }));
  return { market: MARKETS[s.m] as never, timestamp: at as EpochMs, bids: side(bid, -1), asks: side(ask, 1) };
}

function view(o: VenueOrder): string {
  return [
    o.identifier,
    o.state,
    o.executedVolume.toFixed(),
    o.remainingVolume?.toFixed(),
    o.paidFee.toFixed(),
  ].join(' ');
}

async function snapshot(v: TradingVenue, ids: readonly string[]): Promise<string[]> {
  const balances = (await v.getBalances()).map(
    (b) => `${b.currency} ${b.balance.toFixed()} ${b.locked.toFixed()}`,
  );
  const orders = await Promise.all(ids.map(async (identifier) => v.getOrder({ identifier })));
  const open = (await v.listOpenOrders()).map((o) => o.identifier ?? '');
  return [
    ...balances.sort(),
    ...orders.map((o) => (o === undefined ? '-' : view(o))),
    `open ${open.join(',')}`,
  ];
}

/** Runs the steps on a venue; a refused request is part of the outcome (its error name). */
async function play(
  steps: readonly Step[],
  clock: ManualClock,
  feed: { book(b: OrderbookSnapshot): void; trade(t: Trade): void },
  venue: TradingVenue,
): Promise<string[]> {
  const ids: string[] = [];
  const out: string[] = [];
  let seq = 0;
  for (const s of steps) {
    clock.advance(100);
    const at = clock.now();
    const m = 'm' in s ? (MARKETS[s.m] as (typeof MARKETS)[number]) : BTC;
    const mid = 'm' in s ? (MIDS[s.m] ?? 0) : 0;
    let request: PlaceOrderRequest | undefined;
    if (s.kind === 'book') feed.book(bookOf(s, at));
    else if (s.kind === 'trade')
      feed.trade({
        market: m,
        timestamp: at as EpochMs,
        price: mid + s.off * TICK,
        volume: s.size / 1000,
        takerSide: s.taker,
        sequentialId: String(++seq),
      });
    else if (s.kind === 'place')
      request = {
        market: m,
        side: s.side,
        ordType: 'limit',
        price: price(String(mid + s.off * TICK)),
        volume: volume(String(s.size / 1000)),
        ...(s.post ? { timeInForce: 'post_only' as const } : {}),
        identifier: `qts.prop-${ids.length}.0.0` as never,
      };
    else if (s.kind === 'market')
      request =
        s.side === 'bid'
          ? {
              market: m,
              side: 'bid',
              ordType: 'price',
              price: price('50000'),
              identifier: `qts.prop-${ids.length}.0.0` as never,
            }
          : {
              market: m,
              side: 'ask',
              ordType: 'market',
              volume: volume('0.002'),
              identifier: `qts.prop-${ids.length}.0.0` as never,
            };
    else {
      const open = await venue.listOpenOrders();
      const target = open[s.pick % Math.max(1, open.length)];
      if (target !== undefined)
        await venue.cancelOrder({ uuid: target.uuid }).catch((e: Error) => out.push(e.name));
    }
    if (request !== undefined) {
      ids.push(request.identifier);
      await venue.placeOrder(request).then(
        (o) => out.push(view(o)),
        (e: Error) => out.push(`${e.name} ${e.message}`),
      );
    }
    out.push(...(await snapshot(venue, ids)));
  }
  return out;
}

// The paper venue keeps each market's latest feed book until the engine needs it (a placement, a
// cancel, a public trade of that market). Its outcome must be the engine fed every book on arrival,
// as it was before: same answers, fills, balances and open orders after every step.
describe('paper venue: feed books applied when needed', () => {
  it('gives the same account as applying every book on arrival', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-paper-books-'));
    let run = 0;
    // Steps that end with an order of ours partly or wholly filled: the property must see fills.
    let filled = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 60 }), async (steps) => {
          run++;
          const clockA = new ManualClock(T0);
          const paper = new PaperVenue({
            markets: [...MARKETS],
            clock: clockA,
            logger: new MemoryLogger(clockA),
            stateFile: join(dir, `paper-${run}.json`),
            balanceKrw: 10_000_000,
          });
          paper.fund('BTC', '0.1');
          paper.fund('ETH', '1');
          const clockB = new ManualClock(T0);
          const eager = new MemoryTradingVenue({ markets: [...MARKETS], clock: clockB, tapeQueue: true });
          eager.fund('KRW', '10000000');
          eager.fund('BTC', '0.1');
          eager.fund('ETH', '1');
          const a = await play(
            steps,
            clockA,
            { book: (b) => paper.onBook(b), trade: (t) => paper.onTrade(t) },
            paper,
          );
          const b = await play(
            steps,
            clockB,
            { book: (x) => eager.applyOrderbook(x), trade: (t) => eager.applyTrade(t) },
            eager,
          );
          expect(a).toEqual(b);
          filled += a.filter((line) => /^qts\.prop-\d+\.0\.0 \w+ (?!0 )/.test(line)).length;
        }),
        { seed: 20261207, numRuns: 300 },
      );
      expect(filled).toBeGreaterThan(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
