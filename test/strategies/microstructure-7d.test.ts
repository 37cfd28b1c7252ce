import { decide } from '../../shared/src/domain/ensemble/ensemble';
import {
  DEFAULT_ENSEMBLE_CONFIG,
  withStrategyEnabled,
} from '../../shared/src/domain/ensemble/ensemble-config';
import type { Market } from '../../shared/src/domain/market/market-id';
import { createMicrostructure } from '../../shared/src/domain/strategies/microstructure/microstructure-strategy';
import type { StrategySignal } from '../../shared/src/domain/strategies/strategy';
import { DEFAULT_STRATEGY_PARAMS } from '../../shared/src/domain/strategies/strategy-params';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { STRATEGY_NAMES } from '../../shared/src/domain/trading/strategy-name';
import { binance7dCandles, KRW_PER_USDT } from './real-data';

const BTC = 'KRW-BTC' as Market;
const params = DEFAULT_STRATEGY_PARAMS.microstructure;

function signals(krwPerUsdt: number, volumeBarKrw: number): { i: number; s: StrategySignal }[] {
  const strategy = createMicrostructure({ ...params, volumeBarKrw }, [BTC]);
  const out: { i: number; s: StrategySignal }[] = [];
  binance7dCandles(BTC, krwPerUsdt).forEach((bar, i) => {
    const ctx = { now: (bar.openTime + 60_000) as EpochMs, positionVolume: 0, availableKrw: 2_000_000 };
    for (const s of strategy.onBar(bar, ctx)) out.push({ i, s });
  });
  return out;
}

describe('microstructure trades on 7 days of real 1m candles (candle-only fallback, default params)', () => {
  const got = signals(KRW_PER_USDT, params.volumeBarKrw);

  it('produces signals above the ensemble action threshold, which the ensemble turns into orders', () => {
    // Run as `--strategy microstructure` does: the only enabled strategy, so its vote is its strength.
    const alone = STRATEGY_NAMES.filter((n) => n !== 'microstructure').reduce(
      (c, n) => withStrategyEnabled(c, n, false),
      DEFAULT_ENSEMBLE_CONFIG,
    );
    const above = got.filter((x) => x.s.strength >= alone.minScore);
    expect(above.length).toBeGreaterThanOrEqual(7 * 10);
    const orders = got
      .map((x) => decide({ market: BTC, now: x.s.at, signals: [x.s], config: alone })[0])
      .filter((d) => d?.intent.kind === 'directional');
    expect(orders).toHaveLength(above.length);
    expect(new Set(orders.map((d) => (d?.intent.kind === 'directional' ? d.intent.side : '')))).toEqual(
      new Set(['bid', 'ask']),
    );
    // Spread over the week, not bunched in one burst: every day has signals.
    const days = new Set(got.map((x) => Math.floor(x.i / 1440)));
    expect(days.size).toBe(7);
    // In the full default ensemble (weight 0.2 of 0.7) a lone signal needs strength ≥ 0.875; some are that strong.
    const lone = got.filter(
      (x) => (x.s.strength * DEFAULT_ENSEMBLE_CONFIG.weights.microstructure) / 0.7 >= 0.25,
    );
    expect(lone.length).toBeGreaterThanOrEqual(1);
  });

  it('uses the candle-only estimators and says so in every reason', () => {
    expect(got.every((x) => x.s.reason.startsWith('candles: BVC signed-volume imbalance'))).toBe(true);
  });

  it('is unit-free: USDT prices with the bar size in USDT give the same signals as KRW prices with it in KRW', () => {
    const usdt = signals(1, params.volumeBarKrw / KRW_PER_USDT);
    const strip = (xs: { i: number; s: StrategySignal }[]) =>
      xs.map((x) => [x.i, x.s.direction, Number(x.s.strength.toFixed(9))]);
    expect(strip(usdt)).toEqual(strip(got));
  });
});
