import { BacktestEngine } from '../../../shared/src/backtest/engine/backtest-engine';
import type { BacktestInput } from '../../../shared/src/backtest/engine/backtest-input';
import type { Candle } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { Decimal, ZERO } from '../../../shared/src/domain/money/decimal';
import { krw } from '../../../shared/src/domain/money/quantities';
import { exposureBook, openPositionMarkets } from '../../../shared/src/domain/risk/exposure';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../../shared/src/domain/risk/risk-limits';
import { kstDateKey } from '../../../shared/src/domain/time/kst-calendar';
import { STRATEGY_NAMES } from '../../../shared/src/domain/trading/strategy-name';
import { marketPath, RandomVoter } from './market-paths';

/** What one path's run showed; every `*Breaches` and `missedStops` must be 0. */
export interface PathOutcome {
  readonly steps: number;
  readonly fills: number;
  readonly exposureBreaches: number;
  readonly tradeBreaches: number;
  readonly positionBreaches: number;
  readonly shortOrOverdrawn: number;
  readonly buysWhileLatched: number;
  /** Steps at which equity was ≥ 3 % below the reference (the instant-drop rule applies). */
  readonly dropsReached: number;
  /** Distinct episodes of that (a step reaching −3 % after one that did not). */
  readonly dropEpisodes: number;
  /** Of those, steps at which the engine was still `running`. */
  readonly missedStops: number;
  readonly details: readonly string[];
}

/** Random but valid hard limits around a random capital (what an operator could configure). */
export function randomLimits(rnd: () => number, capital: number): RiskLimits {
  const frac = (lo: number, hi: number) => krw(String(Math.round(capital * (lo + rnd() * (hi - lo)))));
  const total = frac(0.5, 1);
  return {
    ...DEFAULT_RISK_LIMITS,
    maxTotalExposure: total,
    maxStrategyExposure: frac(0.2, 1),
    maxMarketExposure: frac(0.3, 1),
    maxTradeNotional: frac(0.05, 0.5),
    maxConcurrentPositions: 1 + Math.floor(rnd() * 3),
    minMsBetweenTrades: rnd() < 0.5 ? 0 : 60_000,
    loss: {
      ...DEFAULT_RISK_LIMITS.loss,
      instantDropReference: rnd() < 0.5 ? 'day_start' : 'intraday_peak',
    },
    kelly: {
      ...DEFAULT_RISK_LIMITS.kelly,
      coldStartFraction: 0.01 + rnd() * 0.49,
      maxFractionOfEquity: 0.05 + rnd() * 0.45,
    },
  };
}

const INSTANT = new Decimal('0.03');

/**
 * Runs one random path through the backtest engine (strategies → ensemble → risk → orders → simulated
 * fills → positions and loss ledgers, the live code paths) and checks, after every step and
 * independently of the risk code, every hard limit against the broker's own books, and that the
 * emergency latch is set at every step where equity is 3 % or more below the KST day's reference.
 */
export function runPath(
  rnd: () => number,
  options: { bars: number; realStrategies: boolean; seed: number },
): PathOutcome {
  const markets = (['KRW-BTC', 'KRW-ETH', 'KRW-XRP'] as Market[]).slice(0, 1 + Math.floor(rnd() * 3));
  const capital = Math.round(1_000_000 + rnd() * 49_000_000);
  const limits = randomLimits(rnd, capital);
  // Some paths start just before KST midnight so the day's ledger rolls over inside the path.
  const start =
    Date.UTC(2026, 2, 2, 14, 0) + Math.floor(rnd() * 24) * 3_600_000 + Math.floor(rnd() * 60) * 60_000;
  const warmup = options.realStrategies ? 220 : 0;
  const paths = marketPath(rnd, markets, warmup + options.bars, start);
  const input: BacktestInput = {
    candlesByMarket: paths,
    timeframe: '1m',
    strategies: 'all',
    ...(options.realStrategies
      ? {}
      : {
          strategyInstances: STRATEGY_NAMES.map((n) => new RandomVoter(n, markets, rnd, 0.05 + rnd() * 0.4)),
        }),
    params: { ensemble: { perTradeCapKrw: limits.maxTradeNotional.toNumber() } },
    capital: krw(String(capital)),
    feeRate: new Decimal('0.0005'),
    slippageBps: Math.floor(rnd() * 20),
    seed: options.seed,
    risk: limits,
    assumeOperatorRelease: rnd() < 0.7,
  };
  let fills = 0;
  const engine = new BacktestEngine(input, () => {
    fills += 1;
  });
  const out = {
    exposureBreaches: 0,
    tradeBreaches: 0,
    positionBreaches: 0,
    shortOrOverdrawn: 0,
    buysWhileLatched: 0,
    dropsReached: 0,
    dropEpisodes: 0,
    missedStops: 0,
  };
  let below = false;
  const details: string[] = [];
  const detail = (d: string) => {
    if (details.length < 3) details.push(d);
  };
  let day = '';
  let dayStart: Decimal = ZERO;
  let peak: Decimal = ZERO;
  let latchedNow = false;
  engine.observeDecisions((e) => {
    const key = kstDateKey(e.at);
    if (key !== day) {
      day = key;
      dayStart = e.equity;
      peak = e.equity;
    }
    if (e.equity.gt(peak)) peak = e.equity;
    const ref = limits.loss.instantDropReference === 'day_start' ? dayStart : Decimal.max(peak, dayStart);
    latchedNow = e.state !== 'running';
    const reached = ref.gt(0) && ref.minus(e.equity).div(ref).gte(INSTANT);
    if (reached && !below) out.dropEpisodes += 1;
    below = reached;
    if (reached) {
      out.dropsReached += 1;
      if (!latchedNow) {
        out.missedStops += 1;
        detail(
          `equity ${e.equity.toFixed(0)} is ≥ 3 % below ${ref.toFixed(0)} at ${new Date(e.at).toISOString()}, state running`,
        );
      }
    }
  });
  const series = markets.map((m) => paths.get(m) as Candle[]);
  const steps = series[0]?.length ?? 0;
  const takerFee = new Decimal('0.0005');
  for (let i = 0; i < steps; i++) {
    latchedNow = false;
    engine.step(series.map((s) => s[i] as Candle));
    const positions = engine.broker.allPositions();
    const commitments = engine.broker.commitments();
    const book = exposureBook(positions, commitments);
    if (book.total.gt(limits.maxTotalExposure)) {
      out.exposureBreaches += 1;
      detail(`total exposure ${book.total.toFixed(0)} > ${limits.maxTotalExposure.toFixed()}`);
    }
    for (const [s, v] of book.byStrategy)
      if (s !== 'operator' && v.gt(limits.maxStrategyExposure)) {
        out.exposureBreaches += 1;
        detail(`${s} exposure ${v.toFixed(0)} > ${limits.maxStrategyExposure.toFixed()}`);
      }
    for (const [m, v] of book.byMarket)
      if (v.gt(limits.maxMarketExposure)) {
        out.exposureBreaches += 1;
        detail(`${m} exposure ${v.toFixed(0)} > ${limits.maxMarketExposure.toFixed()}`);
      }
    for (const c of commitments)
      if (c.lockedKrw.gt(limits.maxTradeNotional.times(takerFee.plus(1)))) {
        out.tradeBreaches += 1;
        detail(`order of ${c.lockedKrw.toFixed(0)} KRW > ${limits.maxTradeNotional.toFixed()}`);
      }
    const held = openPositionMarkets(positions, commitments, limits.dustThreshold);
    if (held.size > limits.maxConcurrentPositions) {
      out.positionBreaches += 1;
      detail(`${held.size} markets held > ${limits.maxConcurrentPositions}`);
    }
    if (engine.broker.cash.isNegative() || positions.some((p) => p.volume.isNegative()))
      out.shortOrOverdrawn += 1;
    if (latchedNow && commitments.some((c) => c.side === 'bid' && c.lockedKrw.gt(0))) {
      out.buysWhileLatched += 1;
      detail(`a buy placed while the latch was set at step ${i}`);
    }
  }
  return { steps, fills, ...out, details };
}
