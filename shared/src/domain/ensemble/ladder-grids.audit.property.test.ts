/**
 * Audit (audit6): the ladder path (`ladderResult`, `checkLadder`, the whole-won quote levels) held
 * to the full pipeline (`checkOrders` per layer) on the grids ladder-path.property.test.ts does not
 * visit: mids on a tick-table band edge (so one ladder mixes a fractional and a whole-won grid, or
 * two fractional ones), prices below 1 KRW down to 1e-8 ticks (volumes of 10^8–10^10 coins, past
 * 2^53 units), the 2024 tables with their per-asset overrides (ADA's 1 KRW band at 100–1,000,
 * USDT's 0.5 KRW band from 1,000). Same generator, thresholds and comparison as that test (its
 * `build` and `checkCase`, with the market's own instant instead of T0); claim: whenever the ladder
 * answers, it answers as the full pipeline, and it does answer on these grids.
 */
import fc from 'fast-check';
import { checkLadderCase } from '../../../testing/ladder-case-check';
import { type LadderMarket, ladderCaseArb } from '../../../testing/ladder-cases';
import { parseMarket } from '../market/market-id';
import type { EpochMs } from '../time/epoch';

const AFTER_2025 = Date.parse('2026-11-25T00:00:00Z') as EpochMs;
const IN_2024 = Date.parse('2024-11-04T00:00:00Z') as EpochMs;
const MID_2025 = Date.parse('2025-04-07T00:00:00Z') as EpochMs;

// Mids on or beside band edges (2025 table unless said): layers ±40 bps land on both sides.
const MARKETS: readonly LadderMarket[] = [
  { market: parseMarket('KRW-XRP'), mid: 100.02, now: AFTER_2025 }, // 0.1 below, 1 above
  { market: parseMarket('KRW-AAA'), mid: 10.001, now: AFTER_2025 }, // 0.01 below, 0.1 above
  { market: parseMarket('KRW-AAA'), mid: 1.0003, now: AFTER_2025 }, // 0.001 below, 0.01 above
  { market: parseMarket('KRW-BTT'), mid: 0.10002, now: AFTER_2025 }, // 0.0001 below, 0.001 above
  { market: parseMarket('KRW-PEPE'), mid: 0.0010004, now: AFTER_2025 }, // 1e-6 below, 1e-5 above
  { market: parseMarket('KRW-SHIB'), mid: 0.0000123, now: AFTER_2025 }, // 1e-8 / 1e-7: 10^9+ coins
  { market: parseMarket('KRW-AAA'), mid: 5001, now: AFTER_2025 }, // 1 below, 5 above
  { market: parseMarket('KRW-AAA'), mid: 1_000_300, now: AFTER_2025 }, // 500 below, 1,000 above
  { market: parseMarket('KRW-ADA'), mid: 100.03, now: IN_2024 }, // ADA: 0.01 below, 1 above
  { market: parseMarket('KRW-ETC'), mid: 100.03, now: IN_2024 }, // no override: 0.01 / 0.1
  { market: parseMarket('KRW-ADA'), mid: 999.7, now: IN_2024 }, // ADA: 1 below, 1 above
  { market: parseMarket('KRW-USDT'), mid: 1000.2, now: MID_2025 }, // USDT: 0.1 below, 0.5 above
  { market: parseMarket('KRW-AAA'), mid: 1000.2, now: Date.parse('2023-06-01T00:00:00Z') as EpochMs }, // original: 1 / 5
];

const caseArb = ladderCaseArb(MARKETS.length);
const checkCase = (c: Parameters<typeof checkLadderCase>[1], seen: Map<string, number>) =>
  checkLadderCase(MARKETS, c, seen);

describe('audit: the ladder path on band edges, sub-1 KRW grids and old tables (claim: the full pipeline’s result)', () => {
  it('answers as the full pipeline on every grid, near every threshold too (fixed seed), and does answer on each', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(caseArb, (c) => checkCase(c, seen)),
      { numRuns: 2500, seed: 20_261_205 },
    );
    // Each grid was answered by the ladder at least once (the comparison is not vacuous there).
    const unanswered = MARKETS.map((_, i) => i).filter((i) => !seen.has(`answered@${i}`));
    expect(unanswered).toEqual([]);
    expect([...seen.keys()]).toEqual(
      expect.arrayContaining([
        'risk:oversell',
        'risk:total_limit',
        'risk:fat_finger_band',
        'risk:fat_finger_depth',
      ]),
    );
  });

  it('answers as the full pipeline on fresh random cases', () => {
    fc.assert(
      fc.property(caseArb, (c) => checkCase(c, new Map())),
      { numRuns: 800 },
    );
  });
});
