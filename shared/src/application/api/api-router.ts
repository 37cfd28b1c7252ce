import { sha256Hex } from '../../domain/text/sha256';
import { VersionConflictError } from '../../ports/order-repository';
import { OperatorInputError } from '../operator/operator-commands';
import { ApiTokenCheck } from './api-auth';
import type { ApiDeps } from './api-deps';
import { API_ROUTES } from './api-routes';
import { errorResponse, type HttpRequest, type HttpResponse, jsonResponse } from './http-types';
import { apiAuditEntry, canonicalJson, commandIdFor, idempotencyKey } from './idempotency';
import { answerToKeep, IdempotencyGate, IN_FLIGHT_RETRY_AFTER_S } from './idempotency-gate';
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
 * 413/415), and for mutations idempotency (`Idempotency-Key` → the control command id and a claim
 * in the state store, see {@link IdempotencyGate}) and an audit entry (who, when, what, from where,
 * outcome) in the state store.
 * Unexpected errors are logged with a request id and answered 500 without internals.
 */
export function createApiRouter(deps: ApiDeps): ApiHandler {
  const tokens = new ApiTokenCheck(deps.secrets, deps.clock, deps.logger);
  const gate = new IdempotencyGate(deps.store, deps.clock, deps.logger);
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
      return await mutate(deps, gate, route, { req, params, query, body, raw });
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

/** The route's input once validated, as {@link mutate} passes it on. */
interface MutationInput {
  req: HttpRequest;
  params: Record<string, string>;
  query: unknown;
  body: unknown;
  raw: unknown;
}

/**
 * A mutation: with a key, admitted by the idempotency gate first (run once, replay, 422 for a key
 * reused on another request, 409 while the same request is still running elsewhere); without one,
 * run as it comes.
 */
async function mutate(
  deps: ApiDeps,
  gate: IdempotencyGate,
  route: AnyRoute,
  input: MutationInput,
): Promise<HttpResponse> {
  const { req } = input;
  const actor = actorOf(input.body);
  const key = idempotencyKey(req, (input.raw as { commandId?: unknown } | undefined)?.commandId);
  const commandId = key === undefined ? undefined : commandIdFor(route.id, key);
  // SHA-256, not a 32-bit hash: a reused key must never replay another request's answer.
  const print = sha256Hex(`${req.path}\n${canonicalJson(input.raw ?? {})}`);
  if (commandId === undefined) return (await execute(deps, route, input, actor, undefined, print)).response;
  const admission = await gate.admit(commandId, print);
  if (admission.kind === 'reused')
    return errorResponse(
      422,
      'idempotency_key_reused',
      'this Idempotency-Key was already used for a different request; use a new key',
    );
  if (admission.kind === 'in-flight')
    return errorResponse(
      409,
      'idempotency_key_in_flight',
      `a request with this Idempotency-Key is still being processed; retry in ${IN_FLIGHT_RETRY_AFTER_S} s to get its answer`,
      { headers: { 'retry-after': String(IN_FLIGHT_RETRY_AFTER_S) } },
    );
  if (admission.kind === 'replay')
    return jsonResponse(admission.answer.status, JSON.parse(admission.answer.body) as unknown, {
      'idempotent-replayed': 'true',
    });
  let outcome: Executed;
  try {
    outcome = await execute(deps, route, input, actor, commandId, print);
  } catch (error) {
    // An unexpected failure (answered 500): the key is freed so the client's retry runs for real.
    await gate.finish(commandId, admission.claimId, undefined);
    throw error;
  }
  const { response, keep } = outcome;
  await gate.finish(
    commandId,
    admission.claimId,
    keep ? answerToKeep(response.status, response.body) : undefined,
  );
  return response;
}

/** What a mutation answered, and whether retries with its key should get that answer replayed. */
interface Executed {
  readonly response: HttpResponse;
  readonly keep: boolean;
}

/**
 * Runs the route and audits it. Refusals are audited (a refused release or a lost version race is
 * part of who-did-what) and kept for replay; a 400 is neither, so the client may correct the body
 * and send it again. Unexpected errors propagate (the router answers 500).
 */
async function execute(
  deps: ApiDeps,
  route: AnyRoute,
  input: MutationInput,
  actor: string,
  commandId: string | undefined,
  print: string,
): Promise<Executed> {
  const { req } = input;
  let result: RouteResult;
  try {
    result = await route.handle({ ...input, deps, actor, commandId });
  } catch (error) {
    const answer = failure(error);
    if (answer === undefined) throw error;
    if (answer.status === 400) return { response: answer, keep: false };
    await audit(deps, route, req, actor, commandId, print, answer.status, JSON.parse(answer.body));
    return { response: answer, keep: true };
  }
  await audit(deps, route, req, actor, commandId, print, result.status, result.body);
  deps.onMutation?.();
  return { response: jsonResponse(result.status, result.body), keep: true };
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
