/**
 * Audit (audit6): the backtest as shipped against the same backtest with its fast paths switched
 * off (test/backtest/support/fast-vs-reference.ts), on hand-made markets where the identity matrix
 * never goes: low-priced markets on fractional tick grids, prices crossing a tick-table band edge
 * inside a bar and between quote layers, prices below 1 KRW, old tick tables with per-asset
 * overrides, and runs across a tick-table change at KST midnight (several markets and random
 * money: fast-paths-e2e-random.audit.test.ts). Claim: the JSON result is the same text.
 */
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { fastAndReference, firstDifference } from './support/fast-vs-reference';
import { AFTER_2025, IN_2024, input, MID_2025, tradesOf, walk } from './support/hand-made-markets';

interface Scene {
  readonly name: string;
  readonly market: string;
  readonly start: number;
  readonly level: number;
  readonly stepBps: number;
}

const SCENES: readonly Scene[] = [
  {
    name: 'around the 100 KRW edge (0.1 below, 1 above), 2025 table',
    market: 'KRW-XRP',
    start: AFTER_2025,
    level: 100.2,
    stepBps: 30,
  },
  {
    name: 'around the 1 KRW edge (0.001 below, 0.01 above)',
    market: 'KRW-AAA',
    start: AFTER_2025,
    level: 1.0004,
    stepBps: 150,
  },
  {
    name: 'below 1 KRW: 0.0001 ticks around 0.01–0.1',
    market: 'KRW-BTT',
    start: AFTER_2025,
    level: 0.0123,
    stepBps: 150,
  },
  {
    name: 'far below 1 KRW: 1e-6 ticks (huge volumes)',
    market: 'KRW-PEPE',
    start: AFTER_2025,
    level: 0.000513,
    stepBps: 150,
  },
  {
    name: 'around the 5,000 KRW edge (1 below, 5 above)',
    market: 'KRW-AAA',
    start: AFTER_2025,
    level: 5001,
    stepBps: 20,
  },
  {
    name: 'around the 10 KRW edge (0.01 below, 0.1 above)',
    market: 'KRW-AAA',
    start: AFTER_2025,
    level: 10.003,
    stepBps: 150,
  },
  {
    name: 'ADA on the 2024-10 table: 1 KRW override at 100–1,000, 0.01 below',
    market: 'KRW-ADA',
    start: IN_2024,
    level: 100.4,
    stepBps: 30,
  },
  {
    name: 'USDT on the 2025-03 table: 0.5 KRW override from 1,000',
    market: 'KRW-USDT',
    start: MID_2025,
    level: 1000.6,
    stepBps: 15,
  },
];

// A run that crosses a tick-table change at KST midnight (15:00 UTC): orders decided under the old
// table reach the broker under the new one.
const SWITCHES: readonly Scene[] = [
  {
    name: '2025-07-31: 5,000–10,000 from a 1 to a 5 KRW tick',
    market: 'KRW-AAA',
    start: Date.parse('2025-07-30T13:20:00Z'),
    level: 5003,
    stepBps: 20,
  },
  {
    name: '2025-07-31: 100–1,000 from 0.1 to 1 KRW',
    market: 'KRW-AAA',
    start: Date.parse('2025-07-30T13:20:00Z'),
    level: 150.3,
    stepBps: 30,
  },
  {
    name: '2024-01-29: 1,000–10,000 from 5 to 1 KRW',
    market: 'KRW-AAA',
    start: Date.parse('2024-01-28T13:20:00Z'),
    level: 1502,
    stepBps: 30,
  },
  {
    name: '2024-10-01: ADA’s 100–1,000 from 0.1 to 1 KRW',
    market: 'KRW-ADA',
    start: Date.parse('2024-09-30T13:20:00Z'),
    level: 400.2,
    stepBps: 30,
  },
];

describe('audit: fast engine vs reference engine on hand-made markets (claim: the same JSON result)', () => {
  for (const scene of SCENES)
    it(`market making, ${scene.name}`, async () => {
      const market = parseMarket(scene.market);
      const candles = new Map([[market, walk(market, scene.start, scene.level, 300, scene.stepBps, 7)]]);
      const { fast, reference } = await fastAndReference((lib) => input(lib, candles, ['market_making']));
      expect(firstDifference(fast, reference)).toBe('identical');
      expect(tradesOf(fast)).toBeGreaterThan(0);
    });

  for (const scene of SWITCHES)
    it(`market making across a tick-table change, ${scene.name}`, async () => {
      const market = parseMarket(scene.market);
      const candles = new Map([[market, walk(market, scene.start, scene.level, 200, scene.stepBps, 9)]]);
      const { fast, reference } = await fastAndReference((lib) => input(lib, candles, ['market_making']));
      expect(firstDifference(fast, reference)).toBe('identical');
      expect(tradesOf(fast)).toBeGreaterThan(0);
    });
});
