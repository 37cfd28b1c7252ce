import { z } from 'zod';
import { isMarket, type Market } from '../domain/market/market-id';
import { Secret } from '../domain/security/secret';
import { STRATEGY_NAMES } from '../domain/trading/strategy-name';
import { executorConfigSchema } from './executor-config-schema';
import { strategiesSchema } from './strategy-config-schema';

const secret = z.union([
  z.instanceof(Secret),
  z
    .string()
    .min(1)
    .transform((s) => new Secret(s)),
]);
const market = z
  .string()
  .refine(isMarket, { message: 'expected an upper-case KRW market code such as KRW-BTC' })
  .transform((s) => s as Market);
const pct = (max: number) => z.number().positive().max(max);

/** Where orders go and where market data comes from. */
export const ExchangeKind = { upbit: 'upbit', sim: 'sim' } as const;

/**
 * The whole configuration, validated once at start. Strict objects everywhere: an unknown key is a
 * typo until proven otherwise, and a typo in a risk limit must not silently fall back to a default.
 */
export const configSchema = z
  .strictObject({
    /** `paper` simulates fills locally; `live` sends real orders and needs keys + QTS_LIVE_CONFIRM=yes. */
    mode: z.enum(['paper', 'live']),
    exchange: z.enum([ExchangeKind.upbit, ExchangeKind.sim]),
    markets: z
      .array(market)
      .min(1)
      .max(20)
      .refine((m) => new Set(m).size === m.length, { message: 'markets must not repeat' }),
    capital: z.strictObject({
      totalKrw: z.number().min(5000),
      perStrategyKrw: z.number().min(5000),
      perTradeKrw: z.number().min(5000),
      perMarketKrw: z.number().min(5000),
      spotOnly: z.literal(true, { message: 'only spot trading is supported: set spotOnly: true' }),
    }),
    lossLimits: z.strictObject({
      dailyPct: pct(100),
      weeklyPct: pct(100),
      monthlyPct: pct(100),
      instantDropPct: pct(100),
      instantDropReference: z.enum(['day_start', 'intraday_peak']),
      dailyAutoRelease: z.boolean(),
      weeklyMonthlyAutoRelease: z.boolean(),
      instantDropAutoRelease: z.boolean(),
    }),
    positions: z.strictObject({
      stopLossPct: pct(100),
      takeProfitPct: pct(1000),
      maxConcurrent: z.number().int().min(1).max(100),
      minSecondsBetweenTrades: z.number().int().min(0),
    }),
    guards: z.strictObject({
      maxPriceDeviationPct: pct(50),
      maxBookDepthFraction: z.number().gt(0).max(1),
      slippageBps: z.number().min(0).max(1000),
    }),
    sizing: z.strictObject({ kellyFraction: z.number().gt(0).max(1) }),
    emergency: z.strictObject({ flattenOnTrigger: z.boolean() }),
    dailyGoalPct: z.number().min(0).max(100),
    monitor: z.strictObject({
      executorHeartbeatStaleSeconds: z.number().int().min(15).max(3600),
      equityStaleSeconds: z.number().int().min(60).max(3600),
      realertMinutes: z.number().int().min(1).max(1440),
    }),
    strategies: strategiesSchema,
    /** The minute analysis (application/analysis): staleness, catch-up and signal retention. */
    analysis: z.strictObject({
      staleAfterSeconds: z.number().int().min(60).max(3600),
      maxCatchUpMinutes: z.number().int().min(1).max(10_080),
      signalRetentionDays: z.number().int().min(1).max(400),
    }),
    upbit: z.strictObject({
      restUrl: z.url(),
      wsUrl: z.url(),
      accessKey: secret.optional(),
      secretKey: secret.optional(),
    }),
    sim: z.strictObject({ port: z.number().int().min(0).max(65535) }),
    /** HTTP API + dashboard (README "HTTP API"). */
    api: z.strictObject({
      port: z.number().int().min(0).max(65535),
      /** Bind address: loopback by default; expose it only behind TLS (see README). */
      host: z.string().min(1),
      token: secret.optional(),
      maxBodyBytes: z.number().int().min(1_024).max(1_048_576),
      liveUpdateMs: z.number().int().min(200).max(60_000),
    }),
    /** Telegram alerts and commands (README "Telegram"). */
    telegram: z.strictObject({
      botToken: secret.optional(),
      chatId: secret.optional(),
      language: z.enum(['ko', 'en']),
      apiBaseUrl: z.url(),
      commands: z.boolean(),
      dedupWindowSeconds: z.number().int().min(0).max(86_400),
      maxPerMinute: z.number().int().min(1).max(60),
    }),
    executor: executorConfigSchema,
    live: z.strictObject({ confirmed: z.boolean() }),
  })
  .superRefine((c, ctx) => {
    const weights = STRATEGY_NAMES.map((n) => c.strategies[n].weight);
    const sum = weights.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-9)
      ctx.addIssue({
        code: 'custom',
        path: ['strategies'],
        message: `strategy weights sum to ${Number(sum.toFixed(6))} but must sum to 1 (${STRATEGY_NAMES.map((n, i) => `${n} ${weights[i]}`).join(', ')})`,
      });
    if (c.capital.perTradeKrw > c.capital.perStrategyKrw)
      ctx.addIssue({
        code: 'custom',
        path: ['capital', 'perTradeKrw'],
        message: 'must not exceed capital.perStrategyKrw',
      });
    if (c.capital.perMarketKrw > c.capital.totalKrw)
      ctx.addIssue({
        code: 'custom',
        path: ['capital', 'perMarketKrw'],
        message: 'must not exceed capital.totalKrw',
      });
    if (c.capital.perStrategyKrw > c.capital.totalKrw)
      ctx.addIssue({
        code: 'custom',
        path: ['capital', 'perStrategyKrw'],
        message: 'must not exceed capital.totalKrw',
      });
    const mr = c.strategies.mean_reversion.params;
    if (!(mr.rsiOversold < 50 && 50 < mr.rsiOverbought))
      ctx.addIssue({
        code: 'custom',
        path: ['strategies', 'mean_reversion', 'params', 'rsiOversold'],
        message: 'rsiOversold must be below 50 and rsiOverbought above 50 (seed: 30 and 70)',
      });
    if (mr.macdFast >= mr.macdSlow)
      ctx.addIssue({
        code: 'custom',
        path: ['strategies', 'mean_reversion', 'params', 'macdFast'],
        message: 'must be below macdSlow',
      });
    const sa = c.strategies.stat_arb.params;
    if (!(sa.exitZ < sa.entryZ && sa.entryZ < sa.stopZ))
      ctx.addIssue({
        code: 'custom',
        path: ['strategies', 'stat_arb', 'params', 'entryZ'],
        message: 'z-score thresholds must satisfy exitZ < entryZ < stopZ',
      });
    const ms = c.strategies.momentum_scalping.params;
    if (ms.fastWma >= ms.slowWma)
      ctx.addIssue({
        code: 'custom',
        path: ['strategies', 'momentum_scalping', 'params', 'fastWma'],
        message: 'must be below slowWma',
      });
    if (c.executor.paperVenue === 'sim' && c.exchange !== 'sim')
      ctx.addIssue({
        code: 'custom',
        path: ['executor', 'paperVenue'],
        message: 'paper orders go to the fake exchange only with exchange: sim; use paperVenue: local',
      });
    if (c.mode === 'live') {
      if (c.exchange !== 'upbit')
        ctx.addIssue({
          code: 'custom',
          path: ['exchange'],
          message: 'live mode trades on Upbit: set exchange: upbit',
        });
      if (c.upbit.accessKey === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['upbit', 'accessKey'],
          message: 'live mode needs an API key: set UPBIT_ACCESS_KEY in the environment',
        });
      if (c.upbit.secretKey === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['upbit', 'secretKey'],
          message: 'live mode needs an API secret: set UPBIT_SECRET_KEY in the environment',
        });
      if (!c.live.confirmed)
        ctx.addIssue({
          code: 'custom',
          path: ['live', 'confirmed'],
          message: 'live mode must be confirmed explicitly: set QTS_LIVE_CONFIRM=yes (it trades real money)',
        });
    }
  });

/** The validated configuration every composition root receives. */
export type AppConfig = z.infer<typeof configSchema>;

/** Config paths that hold secrets: they may only come from the environment (or SSM), never from files. */
export const SECRET_PATHS: readonly (readonly string[])[] = [
  ['upbit', 'accessKey'],
  ['upbit', 'secretKey'],
  ['telegram', 'botToken'],
  ['telegram', 'chatId'],
  ['api', 'token'],
];
