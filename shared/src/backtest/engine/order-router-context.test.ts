import fc from 'fast-check';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { decimalFromNumber } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import { exposureBook } from '../../domain/risk/exposure';
import { DEFAULT_RISK_LIMITS } from '../../domain/risk/risk-limits';
import { T0 } from '../../domain/risk/testing/risk-builders';
import type { EpochMs } from '../../domain/time/epoch';
import { SimulatedBroker } from '../broker/simulated-broker';
import { RouterContexts } from './order-router-context';
import { BacktestRiskState } from './risk-state';

const MARKET = 'KRW-BTC' as Market;
const MINUTE = 60_000;

function barAt(openTime: number): Candle {
  return {
    market: MARKET,
    timeframe: '1m',
    openTime: openTime as EpochMs,
    open: 50_000_000,
    high: 50_100_000,
    low: 49_900_000,
    close: 50_000_000,
    volume: 1,
    quoteVolume: 50_000_000,
  };
}

describe('RouterContexts.riskContext', () => {
  it('property: a context has the same own keys, in the same order, breached or not, and the risk state’s status', () => {
    // The equities of a run: mostly near the capital, sometimes far below it (a breach latches).
    const equityArb = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 9_600_000, max: 10_400_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1_000_000, max: 9_000_000 }) },
    );
    const stepArb = fc.record({ gap: fc.integer({ min: 1, max: 3 * 1440 }), equity: equityArb });
    let breached = 0;
    let clear = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 30 }), (steps) => {
        const broker = new SimulatedBroker(krw('10000000'), KRW_MARKET_RULES, 0, () => 0.5);
        const risk = new BacktestRiskState(DEFAULT_RISK_LIMITS, true, { count: () => undefined });
        const contexts = new RouterContexts(broker, risk, DEFAULT_RISK_LIMITS, KRW_MARKET_RULES, () =>
          exposureBook([], []),
        );
        let at = T0 as number;
        const keys = new Set<string>();
        for (const step of steps) {
          at += step.gap * MINUTE;
          risk.markEquity(at as EpochMs, krw(decimalFromNumber(step.equity)));
          const bar = barAt(at - MINUTE);
          for (const lazy of [false, true]) {
            const ctx = contexts.riskContext(bar, at as EpochMs, lazy);
            // An own property either way (one hidden class for the ladder's and the router's reads).
            expect(Object.hasOwn(ctx, 'lossStatus')).toBe(true);
            expect(ctx.lossStatus).toBe(risk.lossStatus);
            keys.add(`${lazy}:${Object.keys(ctx).join(',')}`);
          }
          if (risk.lossStatus === undefined) clear += 1;
          else breached += 1;
        }
        // One key list per kind of context over the whole run, breached marks and clear ones alike.
        expect(keys.size).toBe(2);
      }),
      { seed: 1616, numRuns: 150 },
    );
    // Both cases came up.
    expect(breached).toBeGreaterThan(20);
    expect(clear).toBeGreaterThan(20);
  });
});
