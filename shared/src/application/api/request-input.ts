import type { z } from 'zod';
import type { FieldProblem, HttpRequest } from './http-types';
import { utf8Length } from './http-types';
import { ApiError } from './route-types';

/**
 * Matches a path against a pattern with `{param}` segments; returns the decoded parameters or
 * undefined. Segments must match whole (no prefix matching), so `/api/strategies/x/y` is not
 * `/api/strategies/{name}`.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith('{') && w.endsWith('}')) {
      let value: string;
      try {
        value = decodeURIComponent(g);
      } catch {
        return undefined;
      }
      if (value === '') return undefined;
      params[w.slice(1, -1)] = value;
    } else if (w !== g) return undefined;
  }
  return params;
}

/** zod issues as field problems, paths prefixed with where the value came from (`body`, `query`). */
export function fieldProblems(error: z.ZodError, prefix: string): FieldProblem[] {
  return error.issues.slice(0, 10).map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/** Parses `value` with `schema` or throws a 400 naming every field at fault. */
export function validated<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = fieldProblems(parsed.error, prefix);
  const first = fields[0];
  throw new ApiError(
    400,
    'invalid_request',
    first === undefined ? `invalid ${prefix}` : `${first.field}: ${first.message}`,
    fields,
  );
}

/**
 * The request body as JSON, refusing what a handler should never see: bodies over the limit
 * (413), non-JSON content types (415) and malformed JSON (400). A missing or empty body is `{}` so
 * bodiless POSTs (start/stop trading) need no `{}`.
 */
export function jsonBody(req: HttpRequest, maxBytes: number): unknown {
  const text = req.body ?? '';
  if (utf8Length(text) > maxBytes)
    throw new ApiError(413, 'payload_too_large', `the request body is larger than ${maxBytes} bytes`);
  if (text.trim() === '') return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json')
    throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json', [
      { field: 'header.content-type', message: 'expected application/json' },
    ]);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`, [
      { field: 'body', message: 'not valid JSON' },
    ]);
  }
}
