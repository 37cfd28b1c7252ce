import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import type { HttpRequest, HttpResponse } from '../../shared/src/application/api/http-types';

/**
 * The fields of an API Gateway HTTP API (payload format 2.0) event the API reads. Loose: API Gateway
 * adds fields over time, and only these decide the answer.
 */
export const httpApiEventSchema = z.looseObject({
  version: z.literal('2.0'),
  rawPath: z.string().startsWith('/'),
  rawQueryString: z.string().default(''),
  headers: z.record(z.string(), z.string()).default({}),
  // API Gateway omits a missing body; serverless-offline sends null.
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.looseObject({
    requestId: z.string().optional(),
    http: z.looseObject({ method: z.string().min(1), sourceIp: z.string().optional() }),
  }),
});
/** A parsed HTTP API event. */
export type HttpApiEvent = z.infer<typeof httpApiEventSchema>;

/**
 * HTTP API event → the router's request, the same shape the local server builds: lower-case header
 * names, the query's last value per name (as Node's URLSearchParams loop in the local server), the
 * body as UTF-8 text (API Gateway base64-encodes bodies it thinks are binary).
 */
export function toHttpRequest(event: HttpApiEvent): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers)) headers[k.toLowerCase()] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(event.rawQueryString)) query[k] = v;
  const body =
    event.body === undefined || event.body === null || event.body === ''
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  const sourceIp = event.requestContext.http.sourceIp;
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    query,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(sourceIp === undefined ? {} : { sourceIp }),
  };
}

/** The router's response → API Gateway's structured result (every body the API sends is text). */
export function toGatewayResult(response: HttpResponse): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.status,
    headers: { ...response.headers },
    body: response.body,
    isBase64Encoded: false,
  };
}
