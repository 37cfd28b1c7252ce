import { z } from 'zod';
import type { AnyRoute } from './route-types';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'Stable machine-readable code.' },
    message: { type: 'string' },
    fields: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

function queryParameters(route: AnyRoute): unknown[] {
  if (route.query === undefined) return [];
  const schema = jsonSchema(route.query) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: (schema.required ?? []).includes(name) && !(s as { default?: unknown }).default,
    schema: s,
  }));
}

function operation(route: AnyRoute): Record<string, unknown> {
  const parameters = [
    ...Object.entries(route.params ?? {}).map(([name, description]) => ({
      name,
      in: 'path',
      required: true,
      description,
      schema: { type: 'string' },
    })),
    ...queryParameters(route),
    ...(route.mutating
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'Repeating a request with the same key within 24 h acts once and replays the first answer (header `idempotent-replayed: true`); a repeat sent while the first is still running waits up to 5 s for its answer, else gets 409 with `Retry-After`; the same key with a different request is 422. It also becomes the control command id (the FIFO deduplication id).',
            schema: { type: 'string', pattern: '^[A-Za-z0-9_:.-]{1,64}$' },
          },
        ]
      : []),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, description] of Object.entries(route.responses))
    responses[status] =
      Number(status) >= 400
        ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
        : {
            description,
            content: route.stream ? { 'text/event-stream': {} } : { 'application/json': {} },
          };
  return {
    operationId: route.id,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    security: route.auth === 'public' ? [] : [{ bearer: [] }],
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: false,
            content: { 'application/json': { schema: jsonSchema(route.body) } },
          },
        }),
    responses,
    'x-qts-mutating': route.mutating,
  };
}

/**
 * The OpenAPI 3.1 document of the route table: the router and this document are generated from
 * the same declarations, so a route cannot exist without being listed (and so without being covered
 * by the table-driven security test that walks this document).
 */
export function openApiDocument(routes: readonly AnyRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation(route);
    paths[route.path] = item;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'QTS HTTP API',
      version: '1',
      description:
        'Dashboard and operator API of the Quantum Trading System. Every route but /api/health needs `Authorization: Bearer <QTS_API_TOKEN>`. Money is decimal text; times are epoch milliseconds.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: ERROR_SCHEMA },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
