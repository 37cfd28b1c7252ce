import { z } from 'zod';
import { TIMEFRAMES, type Timeframe } from '../domain/market/timeframe';
import type {
  MarketMakingParams,
  MeanReversionParams,
  MicrostructureParams,
  MomentumScalpingParams,
  StatArbParams,
} from '../domain/strategies/strategy-params';

const timeframe = z.enum(TIMEFRAMES as [Timeframe, ...Timeframe[]]);
const positive = z.number().positive();
const count = z.number().int().positive();
const fraction = z.number().min(0).max(1);

/** Market-making parameters; `satisfies` keeps the schema and the domain interface in step. */
export const marketMakingParamsSchema = z.strictObject({
  timeframe,
  minHalfSpreadBps: positive,
  volatilityWindow: count,
  volatilityMultiplier: positive,
  layers: z.number().int().min(1).max(10),
  layerSpacingBps: positive,
  sizeDecay: fraction,
  baseQuoteKrw: z.number().min(5000),
  inventorySkew: fraction,
  imbalanceWeight: fraction,
  makerFeeBps: z.number().min(0).exactOptional(),
  feeMarginBps: z.number().min(0).exactOptional(),
  imbalanceDepth: count.exactOptional(),
}) satisfies z.ZodType<MarketMakingParams>;

/** Stat-arb parameters. */
export const statArbParamsSchema = z.strictObject({
  timeframe,
  lookbackBars: z.number().int().min(30),
  entryZ: positive,
  exitZ: z.number().min(0),
  stopZ: positive,
  maxPValue: z.number().gt(0).lt(1),
  retestEveryBars: count,
  maxHalfLifeBars: positive,
}) satisfies z.ZodType<StatArbParams>;

/** Microstructure parameters. */
export const microstructureParamsSchema = z.strictObject({
  timeframe,
  ofiWindow: count,
  volumeBarKrw: positive,
  bvcWindow: z.number().int().min(2),
  threshold: fraction,
}) satisfies z.ZodType<MicrostructureParams>;

/** Momentum-scalping parameters (1–5 minute timeframes). */
export const momentumScalpingParamsSchema = z.strictObject({
  timeframe: z.enum(['1m', '3m', '5m']),
  fastWma: count,
  slowWma: count,
  momentumLookback: count,
  volumeWindow: count,
  volumeSurgeMultiplier: positive,
  minMomentumPct: z.number().min(0),
}) satisfies z.ZodType<MomentumScalpingParams>;

/** Mean-reversion parameters. */
export const meanReversionParamsSchema = z.strictObject({
  timeframe,
  bollingerPeriod: count,
  bollingerStdDev: positive,
  rsiPeriod: count,
  rsiOversold: z.number().min(0).max(100),
  rsiOverbought: z.number().min(0).max(100),
  macdFast: count,
  macdSlow: count,
  macdSignal: count,
  divergenceLookback: z.number().int().min(4),
  volumeProfileWindow: count,
  volumeProfileBins: count,
}) satisfies z.ZodType<MeanReversionParams>;

function strategyEntry<T extends z.ZodType>(params: T) {
  return z.strictObject({ enabled: z.boolean(), weight: z.number().min(0).max(1), params });
}

/** The `strategies` section: enable flag, ensemble weight and parameters per strategy. */
export const strategiesSchema = z.strictObject({
  market_making: strategyEntry(marketMakingParamsSchema),
  stat_arb: strategyEntry(statArbParamsSchema),
  microstructure: strategyEntry(microstructureParamsSchema),
  momentum_scalping: strategyEntry(momentumScalpingParamsSchema),
  mean_reversion: strategyEntry(meanReversionParamsSchema),
});
