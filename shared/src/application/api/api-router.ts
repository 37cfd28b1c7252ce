import { fingerprint } from '../../domain/text/fnv1a';
import { VersionConflictError } from '../../ports/order-repository';
import { OperatorInputError } from '../operator/operator-commands';
import { ApiTokenCheck } from './api-auth';
import type { ApiDeps } from './api-deps';
import { API_ROUTES } from './api-routes';
import { errorResponse, type HttpRequest, type HttpResponse, jsonResponse } from './http-types';
import { apiAuditEntry, canonicalJson, commandIdFor, findEarlierCall, idempotencyKey } from './idempotency';
import { jsonBody, matchPath, validated } from './request-input';
import { type AnyRoute, ApiError, type RouteResult } from './route-types';

/** Serves one request; what both the local server and the Lambda wrapper call. */
export type ApiHandler = (req: HttpRequest) => Promise<HttpResponse>;

const UNAUTHORIZED = (): HttpResponse =>
  errorResponse(
    401,
    'unauthorized',
    'missing or invalid bearer token (Authorization: Bearer <QTS_API_TOKEN>)',
    {
      headers: { 'www-authenticate': 'Bearer realm="qts"' },
    },
  );

function findRoute(req: HttpRequest): { route: AnyRoute; params: Record<string, string> } | HttpResponse {
  const allowed: string[] = [];
  for (const route of API_ROUTES) {
    const params = matchPath(route.path, req.path);
    if (params === undefined) continue;
    if (route.method === req.method) return { route, params };
    allowed.push(route.method);
  }
  if (allowed.length === 0) return errorResponse(404, 'not_found', `no route ${req.path}`);
  return errorResponse(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}`, {
    headers: { allow: allowed.join(', ') },
  });
}

/** The operator name for the audit log: `api:<name>` from the body's `actor`, else `api:operator`. */
function actorOf(body: unknown): string {
  const given = (body as { actor?: unknown } | undefined)?.actor;
  return `api:${typeof given === 'string' && given.trim() !== '' ? given.trim() : 'operator'}`;
}

function failure(error: unknown): HttpResponse | undefined {
  if (error instanceof ApiError)
    return errorResponse(
      error.status,
      error.code,
      error.message,
      error.fields === undefined ? {} : { fields: error.fields },
    );
  if (error instanceof OperatorInputError)
    return errorResponse(400, 'invalid_request', `body.${error.field}: ${error.message}`, {
      fields: [{ field: `body.${error.field}`, message: error.message }],
    });
  if (error instanceof VersionConflictError) return errorResponse(409, 'version_conflict', error.message);
  return undefined;
}

/**
 * Builds the API: route lookup (404/405 only with a valid token), bearer-token check on every route but health (401, in
 * constant time, before anything is parsed), query and body validation (400 naming the field,
 * 413/415), and for mutations idempotency (`Idempotency-Key` → the control command id, replaying the
 * first answer) and an audit entry (who, when, what, from where, outcome) in the state store.
 * Unexpected errors are logged with a request id and answered 500 without internals.
 */
export function createApiRouter(deps: ApiDeps): ApiHandler {
  const tokens = new ApiTokenCheck(deps.secrets, deps.clock, deps.logger);
  let requests = 0;
  return async (req) => {
    const requestId = `${deps.clock.now().toString(36)}-${(requests++).toString(36)}`;
    const found = findRoute(req);
    // Without a valid token an unknown path or method answers 401 like a real route, so nobody can
    // map the API (which routes exist, which methods they take) before authenticating.
    if (!('route' in found)) return (await tokens.allows(req)) ? found : UNAUTHORIZED();
    const { route, params } = found;
    try {
      if (route.auth === 'token' && !(await tokens.allows(req))) {
        deps.logger.warn('api request refused: bad or missing token', {
          route: route.id,
          sourceIp: req.sourceIp ?? null,
        });
        return UNAUTHORIZED();
      }
      const query = route.query === undefined ? {} : validated(route.query, req.query, 'query');
      const raw = route.method === 'GET' ? undefined : jsonBody(req, deps.settings.maxBodyBytes);
      const body = route.body === undefined ? {} : validated(route.body, raw, 'body');
      if (!route.mutating) {
        const result = await route.handle({
          req,
          deps,
          params,
          query,
          body,
          actor: 'api:reader',
          commandId: undefined,
        });
        return jsonResponse(result.status, result.body);
      }
      return await mutate(deps, route, { req, params, query, body, raw });
    } catch (error) {
      const known = failure(error);
      if (known !== undefined) return known;
      deps.logger.error('api request failed', {
        requestId,
        route: route.id,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      return errorResponse(
        500,
        'internal_error',
        `the request failed; quote request id ${requestId} when reporting it`,
      );
    }
  };
}

async function mutate(
  deps: ApiDeps,
  route: AnyRoute,
  input: { req: HttpRequest; params: Record<string, string>; query: unknown; body: unknown; raw: unknown },
): Promise<HttpResponse> {
  const { req } = input;
  const actor = actorOf(input.body);
  const key = idempotencyKey(req, (input.raw as { commandId?: unknown } | undefined)?.commandId);
  const commandId = key === undefined ? undefined : commandIdFor(route.id, key);
  const print = fingerprint(`${req.path}\n${canonicalJson(input.raw ?? {})}`);
  if (commandId !== undefined) {
    const earlier = await findEarlierCall(deps.store, commandId);
    if (earlier !== undefined) {
      if (earlier.fingerprint !== print)
        return errorResponse(
          422,
          'idempotency_key_reused',
          'this Idempotency-Key was already used for a different request; use a new key',
        );
      return jsonResponse(earlier.status, earlier.result, { 'idempotent-replayed': 'true' });
    }
  }
  let result: RouteResult;
  try {
    result = await route.handle({ ...input, deps, actor, commandId });
  } catch (error) {
    const answer = failure(error);
    // Refusals are audited too: a refused release or a lost version race is part of who-did-what.
    if (answer !== undefined && answer.status !== 400)
      await audit(deps, route, req, actor, commandId, print, answer.status, JSON.parse(answer.body));
    throw error;
  }
  await audit(deps, route, req, actor, commandId, print, result.status, result.body);
  deps.onMutation?.();
  return jsonResponse(result.status, result.body);
}

async function audit(
  deps: ApiDeps,
  route: AnyRoute,
  req: HttpRequest,
  actor: string,
  commandId: string | undefined,
  print: string,
  status: number,
  result: unknown,
): Promise<void> {
  try {
    await deps.store.appendAudit(
      apiAuditEntry({
        at: deps.clock.now(),
        actor,
        routeId: route.id,
        req,
        status,
        commandId,
        fingerprint: print,
        result,
      }),
    );
  } catch (error) {
    // The command already took effect (and the store audited the latch or switch itself): answering
    // 500 now would tell the operator it did not, so the missing API audit line is logged instead.
    deps.logger.error('api audit entry not written', {
      route: route.id,
      commandId: commandId ?? null,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
