import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  type AssetLookup,
  loadDashboardAssets,
  staticResponse,
} from '../../shared/src/adapters/http/static-assets';
import { telegramWebhookHandler, webhookSecret } from '../../shared/src/adapters/telegram/telegram-commands';
import { handleChatCommand } from '../../shared/src/application/alerts/chat-commands';
import type { ApiDeps } from '../../shared/src/application/api/api-deps';
import { type ApiHandler, createApiRouter } from '../../shared/src/application/api/api-router';
import {
  errorResponse,
  type HttpRequest,
  type HttpResponse,
} from '../../shared/src/application/api/http-types';
import type { Clock } from '../../shared/src/ports/clock';
import type { Logger } from '../../shared/src/ports/logger';
import { SecretName } from '../../shared/src/ports/secrets';
import { alertNotifier, stateTable } from '../lib/aws-deps';
import { functionConfig } from '../lib/function-config';
import type { Env } from '../lib/function-env';
import { functionSecrets } from '../lib/function-secrets';
import { defineFunction, lambdaHandler } from '../lib/lambda-handler';
import { apiDepsFromEnv, chatCommandParts } from './api-wiring';
import { httpApiEventSchema, toGatewayResult, toHttpRequest } from './gateway-http';

/** Path of the Telegram webhook (register it with `setWebhook?url=<api url>/telegram`). */
export const TELEGRAM_WEBHOOK_PATH = '/telegram';

/** The router and its ports, built once per container and state table (warm invocations reuse them). */
const routers = new Map<string, { readonly deps: ApiDeps; readonly router: ApiHandler }>();
let assets: AssetLookup | undefined;

/**
 * Where the dashboard and uPlot are: next to the bundle in a Lambda (`package.patterns` of the api
 * function, under `LAMBDA_TASK_ROOT`), else the working directory (serverless-offline, whose
 * LAMBDA_TASK_ROOT does not exist here), else the source tree.
 */
export function dashboardAssets(env: Env, exists: (path: string) => boolean = existsSync): AssetLookup {
  if (assets !== undefined) return assets;
  const roots = [env.LAMBDA_TASK_ROOT, process.cwd()].filter((r): r is string => r !== undefined && r !== '');
  const root = roots.find((r) => exists(join(r, 'dashboard', 'index.html')));
  assets =
    root === undefined
      ? loadDashboardAssets()
      : loadDashboardAssets({
          dashboardDir: join(root, 'dashboard'),
          uplotDir: join(root, 'node_modules', 'uplot', 'dist'),
        });
  return assets;
}

function runtime(env: Env, clock: Clock, logger: Logger): { deps: ApiDeps; router: ApiHandler } {
  const key = stateTable(env).tableName;
  let built = routers.get(key);
  if (built === undefined) {
    const deps = apiDepsFromEnv(env, {
      secrets: functionSecrets(env),
      clock,
      logger,
      notifier: alertNotifier(env),
    });
    built = { deps, router: createApiRouter(deps) };
    routers.set(key, built);
  }
  return built;
}

/**
 * The Telegram webhook, when `telegram.commands` is on and the bot token is in SSM: the secret
 * token Telegram echoes is derived from the bot token, the allow-listed chat is TELEGRAM_CHAT_ID,
 * and the reply goes back in the response body (no outgoing call). Otherwise 404, as if absent.
 */
async function telegramWebhook(env: Env, deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const { telegram } = functionConfig(env).config;
  const [token, chatId] = await Promise.all([
    deps.secrets.get(SecretName.telegramBotToken),
    deps.secrets.get(SecretName.telegramChatId),
  ]);
  if (!telegram.commands || token === undefined)
    return errorResponse(404, 'not_found', `no route ${req.path}`);
  const webhook = telegramWebhookHandler({
    secret: webhookSecret(token),
    logger: deps.logger,
    handle: (command) =>
      handleChatCommand(
        {
          ...chatCommandParts(deps),
          allowedChatId: chatId,
          enabled: true,
          language: telegram.language,
          logger: deps.logger,
          clock: deps.clock,
        },
        command,
      ),
  });
  return webhook(req);
}

/**
 * Serves one request the way the local server does: `/api/…` by the shared router (token auth,
 * validation, idempotency, audit), `/telegram` by the webhook, everything else from the dashboard's
 * files (404 JSON when none matches). Live updates (`/api/events`) answer 501 here: the dashboard
 * falls back to polling.
 */
export async function serveApiRequest(
  env: Env,
  req: HttpRequest,
  clock: Clock,
  logger: Logger,
): Promise<HttpResponse> {
  const { deps, router } = runtime(env, clock, logger);
  if (req.path === '/api' || req.path.startsWith('/api/')) return router(req);
  if (req.path === TELEGRAM_WEBHOOK_PATH) return telegramWebhook(env, deps, req);
  return (
    staticResponse(dashboardAssets(env), req) ?? errorResponse(404, 'not_found', `nothing at ${req.path}`)
  );
}

/** The API function (spec reused by tests): API Gateway HTTP API (payload 2.0) ↔ the shared router. */
export const apiFunction = defineFunction({
  component: 'api',
  input: httpApiEventSchema.transform(toHttpRequest),
  run: async (req, { env, logger, clock }): Promise<APIGatewayProxyStructuredResultV2> =>
    toGatewayResult(await serveApiRequest(env, req, clock, logger)),
});

/** The Lambda entry point (serverless.yml `handler: functions/api/handler.handler`). */
export const handler = lambdaHandler(apiFunction);
