import { z } from 'zod';
import { Secret } from '../../domain/security/secret';
import { toIsoUtc } from '../../domain/time/epoch';
import { tokenAuthenticator } from '../emergency/operator-auth';
import {
  type OperatorCommandDeps,
  requestEmergencyStop,
  requestRelease,
  type StopResult,
} from '../operator/operator-commands';
import { requestTradingSwitch } from '../operator/operator-switches';
import { bearerToken } from './api-auth';
import type { ApiDeps } from './api-deps';
import { type AnyRoute, ApiError, defineRoute, type RouteContext } from './route-types';
import { latchJson } from './status-view';

/** The optional operator name a client gives for the audit log (the token says only "an operator"). */
export const actorField = z
  .string()
  .regex(/^[\p{L}\p{N} _.@-]{1,60}$/u, '1–60 letters, digits, spaces or _ . @ -')
  .optional();
const commandIdField = z.string().optional();
const reasonField = z.string().trim().min(1, 'a reason is required').max(1_000);

const stopBody = z.strictObject({
  reason: reasonField,
  state: z.enum(['reducing', 'halted']).default('reducing'),
  actor: actorField,
  commandId: commandIdField,
});
const reasonBody = z.strictObject({ reason: reasonField, actor: actorField, commandId: commandIdField });
const switchBody = z.strictObject({ actor: actorField, commandId: commandIdField });

/** The operator command ports of the API. */
export function operatorDeps(deps: ApiDeps): OperatorCommandDeps {
  return {
    store: deps.store,
    queue: deps.controlQueue,
    clock: deps.clock,
    channel: 'api',
    limits: deps.settings.limits,
    rules: deps.settings.rules,
    ...(deps.notifier === undefined ? {} : { notifier: deps.notifier }),
  };
}

function withId(commandId: string | undefined): { commandId?: string } {
  return commandId === undefined ? {} : { commandId };
}

function stopJson(result: StopResult) {
  return {
    outcome: result.outcome,
    latch: latchJson(result.latch),
    command: result.command,
    ...(result.warning === undefined ? {} : { warning: result.warning }),
  };
}

const mutationResponses = {
  200: 'Done (also when repeated: the same Idempotency-Key replays the first answer).',
  400: 'A field is missing or wrong; `fields` names it.',
  401: 'Missing or wrong bearer token.',
  413: 'Body too large.',
  415: 'Body is not application/json.',
  409: 'A request with this Idempotency-Key is still being processed (after a 5 s wait): retry after `Retry-After` seconds.',
  422: 'The Idempotency-Key was already used for a different request.',
} as const;

/** Emergency stop and close-all are one use case: they differ only in the latch state and the flatten flag. */
async function stop(
  { deps, body, actor, commandId }: RouteContext<unknown, z.output<typeof reasonBody>>,
  state: z.output<typeof stopBody>['state'],
  flatten: boolean,
) {
  const result = await requestEmergencyStop(operatorDeps(deps), {
    reason: body.reason,
    actor,
    state,
    flatten,
    ...withId(commandId),
  });
  return { status: 200, body: stopJson(result) };
}

async function release(ctx: RouteContext<unknown, z.output<typeof reasonBody>>) {
  const { deps, body, actor } = ctx;
  const expected = await deps.secrets.get('QTS_API_TOKEN');
  // The bearer token already passed the router's check; the release use case checks it again as the
  // operator credential, so its refusal audit and alert work exactly as on the CLI.
  const accounts = expected === undefined ? [] : [{ actor, token: expected, channels: ['api' as const] }];
  const result = await requestRelease(
    { ...operatorDeps(deps), authenticate: tokenAuthenticator(accounts) },
    {
      credential: { channel: 'api', token: new Secret(bearerToken(ctx.req) ?? '') },
      reason: body.reason,
      ...withId(ctx.commandId),
    },
  );
  if (!result.ok) throw new ApiError(409, result.refusal, result.message);
  return {
    status: 200,
    body: {
      released: latchJson(result.released),
      release: { ...result.release, atIso: toIsoUtc(result.release.at) },
      ...(result.command === undefined ? {} : { command: result.command }),
      ...(result.warning === undefined ? {} : { warning: result.warning }),
    },
  };
}

/** The mutating routes: every one latches or switches in the store first, then tells the executor. */
export const CONTROL_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    id: 'emergencyStop',
    method: 'POST',
    path: '/api/emergency-stop',
    auth: 'token',
    mutating: true,
    summary: 'Latch the emergency stop and tell the executor to cancel every open order.',
    description:
      '`reducing` (default) still lets positions be closed; `halted` allows no order. Repeating it escalates reducing to halted or reports `unchanged`; only a release clears it.',
    body: stopBody,
    responses: mutationResponses,
    handle: (ctx) => stop(ctx, ctx.body.state, false),
  }),
  defineRoute({
    id: 'releaseEmergency',
    method: 'POST',
    path: '/api/emergency-stop/release',
    auth: 'token',
    mutating: true,
    summary: 'Clear the emergency latch read just now, recording who, when and why.',
    body: reasonBody,
    responses: {
      ...mutationResponses,
      409: 'Refused: nothing latched, or the latch changed meanwhile (or, with `Retry-After`, the same Idempotency-Key is still being processed).',
    },
    handle: release,
  }),
  defineRoute({
    id: 'closeAllPositions',
    method: 'POST',
    path: '/api/close-all-positions',
    auth: 'token',
    mutating: true,
    summary: 'Latch `reducing` and ask the executor to cancel every order and sell every holding.',
    description:
      'Sells with marketable limit orders inside the slippage guard. On a `halted` latch nothing is sold.',
    body: reasonBody,
    responses: mutationResponses,
    handle: (ctx) => stop(ctx, 'reducing', true),
  }),
  defineRoute({
    id: 'startTrading',
    method: 'POST',
    path: '/api/trading/start',
    auth: 'token',
    mutating: true,
    summary: "Switch trading on (the operator's switch; it never clears an emergency latch).",
    body: switchBody,
    responses: mutationResponses,
    handle: async ({ deps, actor, commandId }) => ({
      status: 200,
      body: await requestTradingSwitch(operatorDeps(deps), { enabled: true, actor, ...withId(commandId) }),
    }),
  }),
  defineRoute({
    id: 'stopTrading',
    method: 'POST',
    path: '/api/trading/stop',
    auth: 'token',
    mutating: true,
    summary: 'Switch trading off: no new positions, exits still work.',
    body: switchBody,
    responses: mutationResponses,
    handle: async ({ deps, actor, commandId }) => ({
      status: 200,
      body: await requestTradingSwitch(operatorDeps(deps), { enabled: false, actor, ...withId(commandId) }),
    }),
  }),
];
