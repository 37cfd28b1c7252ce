import type { z } from 'zod';
import type { ApiDeps } from './api-deps';
import type { FieldProblem, HttpRequest } from './http-types';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH';

/** Who may call a route: anyone (health only) or a holder of the API token. */
export type RouteAuth = 'public' | 'token';

/** What a handler sees: validated inputs, the authenticated actor and the idempotency key. */
export interface RouteContext<Q, B> {
  readonly req: HttpRequest;
  readonly deps: ApiDeps;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Q;
  readonly body: B;
  /** `api:<name>`: the operator name the client gave (or `operator`), for the audit log. */
  readonly actor: string;
  /** The control command id derived from `Idempotency-Key` / `commandId`; undefined when none was given. */
  readonly commandId: string | undefined;
}

/** A handler's answer before it becomes JSON. */
export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
}

/**
 * One row of the route table: everything the router needs to serve it and everything the OpenAPI
 * document says about it. Both come from this one declaration, so the security test that walks the
 * document can never miss a route the router serves.
 */
export interface Route<Q = unknown, B = unknown> {
  /** Stable operation id (OpenAPI `operationId`, audit `route`). */
  readonly id: string;
  readonly method: HttpMethod;
  /** Path with `{param}` placeholders, e.g. `/api/strategies/{name}`. */
  readonly path: string;
  readonly auth: RouteAuth;
  readonly summary: string;
  /** Longer description for the OpenAPI document. */
  readonly description?: string;
  /** Mutations are idempotent per key and audited; the OpenAPI document lists the header. */
  readonly mutating: boolean;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  /** Status codes and what they mean, for the OpenAPI document. */
  readonly responses: Readonly<Record<number, string>>;
  /** Served as a stream by the local server only (Server-Sent Events); the router answers auth only. */
  readonly stream?: boolean;
  readonly handle: (ctx: RouteContext<Q, B>) => Promise<RouteResult>;
}

/** A route with its input types erased, as the table stores it. */
export type AnyRoute = Route<unknown, unknown>;

/** Declares a route with typed inputs and stores it type-erased. */
export function defineRoute<Q, B>(route: Route<Q, B>): AnyRoute {
  return route as unknown as AnyRoute;
}

/** A failure a handler reports on purpose; the router turns it into a JSON error answer. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: readonly FieldProblem[],
  ) {
    super(message);
  }
}
