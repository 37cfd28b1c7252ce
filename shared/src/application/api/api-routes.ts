import { z } from 'zod';
import { parseMarket } from '../../domain/market/market-id';
import { isStrategyName, type StrategyName } from '../../domain/trading/strategy-name';
import { candlesView, equityView } from './chart-view';
import { actorField, CONTROL_ROUTES } from './control-routes';
import { openApiDocument } from './openapi';
import { performanceView } from './performance-view';
import { positionsView, tradesView } from './portfolio-view';
import { riskView } from './risk-view';
import { type AnyRoute, ApiError, defineRoute } from './route-types';
import { statusView } from './status-view';
import { patchStrategy, strategiesView } from './strategy-view';

const readResponses = { 200: 'OK', 401: 'Missing or wrong bearer token.' } as const;
const queryResponses = {
  ...readResponses,
  400: 'A query parameter is out of range; `fields` names it.',
} as const;

const limitQuery = (max: number, fallback: number) =>
  z.object({ limit: z.coerce.number().int().min(1).max(max).default(fallback) });

const paramValue = z.union([z.number(), z.string().max(20), z.boolean()]);
const strategyPatchBody = z
  .strictObject({
    enabled: z.boolean().optional(),
    weight: z.number().min(0).max(1).optional(),
    params: z.record(z.string().max(60), paramValue).optional(),
    expectedVersion: z.number().int().min(0).optional(),
    actor: actorField,
    commandId: z.string().optional(),
  })
  .refine((b) => b.enabled !== undefined || b.weight !== undefined || b.params !== undefined, {
    message: 'send at least one of enabled, weight, params',
    path: ['enabled'],
  });

function strategyParam(name: string | undefined): StrategyName {
  if (name === undefined || !isStrategyName(name))
    throw new ApiError(404, 'not_found', `no strategy named "${name ?? ''}"`, [
      {
        field: 'path.name',
        message: 'one of market_making, stat_arb, microstructure, momentum_scalping, mean_reversion',
      },
    ]);
  return name;
}

/** The read routes and the strategy settings change. */
const DATA_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    id: 'health',
    method: 'GET',
    path: '/api/health',
    auth: 'public',
    mutating: false,
    summary: 'Liveness: answers while the server runs. Public; reveals nothing about trading.',
    responses: { 200: 'Up.' },
    handle: async ({ deps }) => ({ status: 200, body: { status: 'ok', time: deps.clock.now() } }),
  }),
  defineRoute({
    id: 'status',
    method: 'GET',
    path: '/api/status',
    auth: 'token',
    mutating: false,
    summary: 'Mode, exchange, trading state, emergency latch, executor heartbeat, last analysis, audit tail.',
    responses: readResponses,
    handle: async ({ deps }) => ({ status: 200, body: await statusView(deps) }),
  }),
  defineRoute({
    id: 'positions',
    method: 'GET',
    path: '/api/positions',
    auth: 'token',
    mutating: false,
    summary: 'Open positions with marks, unrealised and realised PnL, and the latest account equity.',
    responses: readResponses,
    handle: async ({ deps }) => ({ status: 200, body: await positionsView(deps) }),
  }),
  defineRoute({
    id: 'trades',
    method: 'GET',
    path: '/api/trades',
    auth: 'token',
    mutating: false,
    summary: 'The latest fills, newest first.',
    query: limitQuery(500, 50),
    responses: queryResponses,
    handle: async ({ deps, query }) => ({ status: 200, body: await tradesView(deps, query.limit) }),
  }),
  defineRoute({
    id: 'strategies',
    method: 'GET',
    path: '/api/strategies',
    auth: 'token',
    mutating: false,
    summary: 'Every strategy: effective on/off, weight, parameters (config + runtime overrides), version.',
    responses: readResponses,
    handle: async ({ deps }) => ({ status: 200, body: await strategiesView(deps) }),
  }),
  defineRoute({
    id: 'updateStrategy',
    method: 'PATCH',
    path: '/api/strategies/{name}',
    auth: 'token',
    mutating: true,
    summary: 'Change a strategy at runtime: enabled, weight, parameter overrides.',
    description:
      'Validated against the configuration schema of that strategy (unknown parameters, ranges, cross-field rules). Send `expectedVersion` from GET to refuse overwriting a change made meanwhile (409).',
    params: { name: 'Strategy name, e.g. stat_arb.' },
    body: strategyPatchBody,
    responses: {
      200: 'Changed; the strategy as it is now.',
      400: 'A field is wrong; `fields` names it.',
      401: 'Missing or wrong bearer token.',
      404: 'No such strategy.',
      409: 'Changed meanwhile: reload and try again (or, with `Retry-After`, the same Idempotency-Key is still being processed).',
      422: 'The Idempotency-Key was already used for a different request.',
    },
    handle: async ({ deps, params, body, actor, commandId }) => ({
      status: 200,
      body: await patchStrategy(deps, strategyParam(params.name), body, actor, commandId),
    }),
  }),
  defineRoute({
    id: 'performance',
    method: 'GET',
    path: '/api/performance',
    auth: 'token',
    mutating: false,
    summary:
      'PnL, win rate, average P/L, P/L ratio, Sharpe, MDD, trade frequency, daily goal attainment, per strategy.',
    query: z.object({ days: z.coerce.number().int().min(1).max(400).default(30) }),
    responses: queryResponses,
    handle: async ({ deps, query }) => ({ status: 200, body: await performanceView(deps, query.days) }),
  }),
  defineRoute({
    id: 'risk',
    method: 'GET',
    path: '/api/risk',
    auth: 'token',
    mutating: false,
    summary: 'Exposure against every limit, VaR/ES (95 %), the KST loss-limit ledger.',
    responses: readResponses,
    handle: async ({ deps }) => ({ status: 200, body: await riskView(deps) }),
  }),
  defineRoute({
    id: 'equity',
    method: 'GET',
    path: '/api/equity',
    auth: 'token',
    mutating: false,
    summary: 'The account equity curve (executor minute equity) for the chart.',
    query: z.object({
      hours: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 90)
        .default(24),
    }),
    responses: queryResponses,
    handle: async ({ deps, query }) => ({ status: 200, body: await equityView(deps, query.hours) }),
  }),
  defineRoute({
    id: 'candles',
    method: 'GET',
    path: '/api/markets/{market}/candles',
    auth: 'token',
    mutating: false,
    summary: 'Latest 1-minute candles of a market with our fills in that window (price chart markers).',
    params: { market: 'KRW market code, e.g. KRW-BTC.' },
    query: limitQuery(1_000, 120),
    responses: queryResponses,
    handle: async ({ deps, params, query }) => {
      let market: ReturnType<typeof parseMarket>;
      try {
        market = parseMarket(params.market ?? '');
      } catch (error) {
        throw new ApiError(400, 'invalid_request', (error as Error).message, [
          { field: 'path.market', message: 'expected a KRW market code such as KRW-BTC' },
        ]);
      }
      return { status: 200, body: await candlesView(deps, market, query.limit) };
    },
  }),
  defineRoute({
    id: 'events',
    method: 'GET',
    path: '/api/events',
    auth: 'token',
    mutating: false,
    stream: true,
    summary: 'Live updates as Server-Sent Events (local server only; the cloud dashboard polls).',
    responses: {
      200: 'text/event-stream of `update` events.',
      401: 'Missing or wrong bearer token.',
      501: 'Not on this deployment.',
    },
    handle: async () => {
      throw new ApiError(
        501,
        'not_supported',
        'live updates need the local server; poll /api/status instead',
      );
    },
  }),
];

/** Every route of the API, in the order the OpenAPI document lists them. */
export const API_ROUTES: readonly AnyRoute[] = [
  ...DATA_ROUTES,
  ...CONTROL_ROUTES,
  defineRoute({
    id: 'openapi',
    method: 'GET',
    path: '/api/openapi.json',
    auth: 'token',
    mutating: false,
    summary: 'This API as an OpenAPI 3.1 document, generated from the route table.',
    responses: readResponses,
    handle: async () => ({ status: 200, body: openApiDocument(API_ROUTES) }),
  }),
];
