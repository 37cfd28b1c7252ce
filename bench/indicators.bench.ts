import {
  ATR,
  EMA,
  MACD,
  RSI,
  SD,
  SMA,
  BollingerBands as TiBollinger,
  TrueRange as TiTrueRange,
  VWAP,
  WMA,
} from 'technicalindicators';
// Each from its own file, as the strategies import them: under tsx every call through the barrel
// (index.ts) goes through two module getters on a dictionary-mode object, ~240 ns (bench/README.md).
import { atrBatch } from '../shared/src/domain/indicators/atr';
import { bollingerBatch } from '../shared/src/domain/indicators/bollinger-bands';
import { Ema, emaBatch } from '../shared/src/domain/indicators/ema';
import { macdBatch } from '../shared/src/domain/indicators/macd';
import { rollingStdBatch } from '../shared/src/domain/indicators/rolling-stats';
import { Rsi, rsiBatch } from '../shared/src/domain/indicators/rsi';
import { Sma, smaBatch } from '../shared/src/domain/indicators/sma';
import { trueRangeBatch } from '../shared/src/domain/indicators/true-range';
import { SessionVwap } from '../shared/src/domain/indicators/vwap';
import { wmaBatch } from '../shared/src/domain/indicators/wma';
import { bareEma, bareRsi, bareSma } from './indicator-baselines';
import type { BenchContext, Benchmark, BenchResult } from './lib/bench-types';
import { compare, geoMean, type MeasureOptions } from './lib/measure';
import { type BarColumns, randomWalkBars } from './lib/random-walk-bars';
import { atLeast, ratioResult } from './lib/results';

/** One-minute bars (≈ 70 days): long enough that per-call overhead does not count. */
const BARS = 100_000;
/** Quick mode: technicalindicators' Bollinger takes ~0.5 s per call on the full series. */
const QUICK_BARS = 25_000;
const TI = 'technicalindicators 3.1';
const BARE = 'bare Float64Array loop';

/** One indicator timed against technicalindicators on the same plain-array inputs. */
interface VersusTi {
  readonly id: string;
  readonly ours: (b: BarColumns) => unknown;
  readonly theirs: (b: BarColumns) => unknown;
}

const VERSUS_TI: readonly VersusTi[] = [
  {
    id: 'sma',
    ours: (b) => smaBatch(b.close, 20),
    theirs: (b) => SMA.calculate({ period: 20, values: b.close }),
  },
  {
    id: 'ema',
    ours: (b) => emaBatch(b.close, 20),
    theirs: (b) => EMA.calculate({ period: 20, values: b.close }),
  },
  {
    id: 'wma',
    ours: (b) => wmaBatch(b.close, 20),
    theirs: (b) => WMA.calculate({ period: 20, values: b.close }),
  },
  {
    id: 'rsi',
    ours: (b) => rsiBatch(b.close, 14),
    theirs: (b) => RSI.calculate({ period: 14, values: b.close }),
  },
  {
    id: 'macd',
    ours: (b) => macdBatch(b.close, 12, 26, 9),
    theirs: (b) =>
      MACD.calculate({
        fastPeriod: 12,
        slowPeriod: 26,
        signalPeriod: 9,
        values: b.close,
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      }),
  },
  {
    id: 'bollinger',
    ours: (b) => bollingerBatch(b.close, 20, 2),
    theirs: (b) => TiBollinger.calculate({ period: 20, stdDev: 2, values: b.close }),
  },
  {
    id: 'stddev',
    ours: (b) => rollingStdBatch(b.close, 20),
    theirs: (b) => SD.calculate({ period: 20, values: b.close }),
  },
  {
    id: 'true_range',
    ours: (b) => trueRangeBatch(b.high, b.low, b.close),
    theirs: (b) => TiTrueRange.calculate({ high: b.high, low: b.low, close: b.close }),
  },
  {
    id: 'atr',
    ours: (b) => atrBatch(b.high, b.low, b.close, 14),
    theirs: (b) => ATR.calculate({ high: b.high, low: b.low, close: b.close, period: 14 }),
  },
  {
    id: 'vwap',
    // Typical price per bar and one session spanning the data: what their cumulative VWAP computes.
    ours: (b) => new SessionVwap(1e15, 0).updateManyBars(b.high, b.low, b.close, b.volume, b.time),
    theirs: (b) => VWAP.calculate({ high: b.high, low: b.low, close: b.close, volume: b.volume }),
  },
];

/**
 * Our batch and the bare loop on the same Float64Array; they must agree before they are timed.
 * `stepped` is the same work as one `update` call per value (what a strategy does bar by bar),
 * reported without a target next to the batch figure.
 */
interface VersusBare {
  readonly id: string;
  readonly ours: (x: Float64Array) => Float64Array;
  readonly stepped: (x: Float64Array) => Float64Array;
  readonly bare: (x: Float64Array) => Float64Array;
}

/** One `update` call per value into a Float64Array. */
function stepped(ind: { update(x: number): number }, x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = ind.update(x[i] as number);
  return out;
}

const VERSUS_BARE: readonly VersusBare[] = [
  {
    id: 'sma',
    ours: (x) => smaBatch(x, 20),
    stepped: (x) => stepped(new Sma(20), x),
    bare: (x) => bareSma(x, 20),
  },
  {
    id: 'ema',
    ours: (x) => emaBatch(x, 20),
    stepped: (x) => stepped(new Ema(20), x),
    bare: (x) => bareEma(x, 20),
  },
  {
    id: 'rsi',
    ours: (x) => rsiBatch(x, 14),
    stepped: (x) => stepped(new Rsi(14), x),
    bare: (x) => bareRsi(x, 14),
  },
];

function assertSameSeries(id: string, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    const same = Number.isNaN(x) ? Number.isNaN(y) : Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(y), 1);
    if (!same) throw new Error(`${id}: our batch and the bare loop disagree at bar ${i} (${x} vs ${y})`);
  }
}

function timing(context: BenchContext): MeasureOptions {
  return context.quick ? { warmup: 2, budgetMs: 300, minRuns: 5 } : { budgetMs: 3000, minRuns: 15 };
}

const versusTechnicalIndicators: Benchmark = {
  name: 'indicators vs technicalindicators',
  description: `Batch over ${BARS.toLocaleString('en-US')} 1m bars (${QUICK_BARS.toLocaleString('en-US')} in quick mode), ours vs ${TI} on the same arrays; ratio = their time / ours. Targets: geo-mean >= 12x, each >= 5x.`,
  async run(context) {
    const bars = randomWalkBars(context.quick ? QUICK_BARS : BARS);
    const results: BenchResult[] = [];
    const ratios: number[] = [];
    for (const ind of VERSUS_TI) {
      context.progress(`${ind.id} vs ${TI}`);
      const { ratio } = compare(
        () => ind.ours(bars),
        () => ind.theirs(bars),
        timing(context),
      );
      ratios.push(ratio);
      results.push(ratioResult(`indicators.${ind.id}.vs_technicalindicators`, ratio, TI, atLeast(5, 'x')));
    }
    results.push(
      ratioResult('indicators.geomean.vs_technicalindicators', geoMean(ratios), TI, atLeast(12, 'x')),
    );
    return results;
  },
};

const versusBareLoop: Benchmark = {
  name: 'indicators vs bare loop',
  description: `SMA(20), EMA(20), RSI(14) batches over ${BARS.toLocaleString('en-US')} values (${QUICK_BARS.toLocaleString('en-US')} quick) vs a hand-written Float64Array loop; ratio = loop time / ours. Target >= 0.5x. Also, without target, one update() call per value.`,
  async run(context) {
    const x = randomWalkBars(context.quick ? QUICK_BARS : BARS).closeF64;
    const results: BenchResult[] = [];
    for (const ind of VERSUS_BARE) {
      context.progress(`${ind.id} vs ${BARE}`);
      assertSameSeries(ind.id, ind.ours(x), ind.bare(x));
      assertSameSeries(ind.id, ind.stepped(x), ind.bare(x));
      const batch = compare(
        () => ind.ours(x),
        () => ind.bare(x),
        timing(context),
      );
      results.push(ratioResult(`indicators.${ind.id}.vs_bare_loop`, batch.ratio, BARE, atLeast(0.5, 'x')));
      const perUpdate = compare(
        () => ind.stepped(x),
        () => ind.bare(x),
        timing(context),
      );
      results.push(ratioResult(`indicators.${ind.id}.update_calls.vs_bare_loop`, perUpdate.ratio, BARE));
    }
    return results;
  },
};

/** Read by `npm run bench`. */
export const benchmarks: readonly Benchmark[] = [versusTechnicalIndicators, versusBareLoop];
