import { runBacktest } from '../../shared/src/backtest/engine/run-backtest';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { STRATEGY_NAMES } from '../../shared/src/domain/trading/strategy-name';
import { binance7dCandles } from '../strategies/real-data';

/**
 * Issue 15: on real data with `--strategy all`, every enabled strategy either trades or is reported
 * with the reason it did not — skipped (with why), silent (no signal), or each signal's fate counted.
 * Seven days of real Binance BTC/USDT 1m candles (../shared/data, copied in test/fixtures) as KRW-BTC.
 */
describe('--strategy all on a week of real 1m data', () => {
  it('every strategy trades or says why not, and every signal is accounted for', async () => {
    const btc = parseMarket('KRW-BTC');
    const r = await runBacktest({
      candlesByMarket: new Map([[btc, binance7dCandles(btc)]]),
      timeframe: '1m',
      strategies: 'all',
      capital: krw('10000000'),
      feeRate: new Decimal('0.0005'),
      slippageBps: 2,
      seed: 1,
    });
    const outcomes = r.signalOutcomes;
    if (outcomes === undefined) throw new Error('no signal outcomes');
    const traded = new Set(r.trades.map((t) => t.strategy));
    for (const name of STRATEGY_NAMES) {
      const skipped = r.assumptions.skippedStrategies?.[name];
      const o = outcomes.perStrategy[name];
      if (skipped !== undefined) {
        expect(skipped).toMatch(/needs at least two markets/);
        continue;
      }
      if (o === undefined) throw new Error(`${name} has no signal accounting`);
      const refused = Object.values(o.refusedByRisk).reduce((a, b) => a + b, 0);
      expect(o.traded + o.netted + o.heldByEnsemble + refused).toBe(o.signals);
      const held = Object.values(o.heldReasons).reduce((a, b) => a + b, 0);
      expect(held).toBe(o.heldByEnsemble);
      // A strategy that placed no order has every signal's fate counted above (or emitted none).
      expect(o.traded > 0).toBe(traded.has(name));
    }
    // Before sleeves only market making traded here; now the directional strategies do too.
    expect([...traded].sort()).toEqual([
      'market_making',
      'mean_reversion',
      'microstructure',
      'momentum_scalping',
    ]);
  }, 300_000);
});
