import type { Market } from '../market/market-id';
import { decimalFromNumber } from '../money/decimal';
import type { Price, Volume } from '../money/quantities';
import type { DecisionId } from '../orders/identifiers';
import type { EpochMs } from '../time/epoch';
import type { Decision, QuoteLevel } from '../trading/decision';
import { StrategyName } from '../trading/strategy-name';
import { keptLevelsDecision } from './kept-layers';

const level = (side: 'bid' | 'ask', price: number, volume: number): QuoteLevel => ({
  side,
  price: decimalFromNumber(price) as Price,
  volume: decimalFromNumber(volume) as Volume,
});

// A quotes decision in quotesDecisionOf's key order, its levels on the decimal steps.
const decision: Decision = {
  market: 'KRW-XRP' as Market,
  createdAt: 1_735_689_600_000 as EpochMs,
  expiresAt: 1_735_689_660_000 as EpochMs,
  source: StrategyName.marketMaking,
  signals: [{ strategy: StrategyName.marketMaking, score: 0, weight: 1, reason: 'spread' }],
  id: 'mmq-XRP-20250101T0000-0' as DecisionId,
  strategy: StrategyName.marketMaking,
  intent: { kind: 'quotes', levels: [level('bid', 812.3, 10), level('ask', 812.5, 10)] },
};

describe('keptLevelsDecision', () => {
  it('is the spread it replaces: the same keys in the same order, the same values, the kept levels', () => {
    const kept = [level('bid', 812.3, 10)];
    const written = keptLevelsDecision(decision, kept);
    const spread: Decision = { ...decision, intent: { kind: 'quotes', levels: kept } };
    expect(Object.keys(written)).toEqual(Object.keys(spread));
    expect(JSON.stringify(written)).toBe(JSON.stringify(spread));
    expect(written.signals).toBe(decision.signals);
    expect(written.intent).toEqual({ kind: 'quotes', levels: kept });
  });
});
