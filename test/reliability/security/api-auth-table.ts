import { API_ROUTES } from '../../../shared/src/application/api/api-routes';

interface Operation {
  readonly operationId: string;
  readonly security: readonly unknown[];
  readonly 'x-qts-mutating'?: boolean;
}

/** What the table over the OpenAPI document found. */
export interface AuthTable {
  readonly operations: number;
  readonly protectedOperations: number;
  readonly mutating: number;
  /** Mutating operations the document marks public. */
  readonly publicMutating: number;
  /** Public operations other than the health check. */
  readonly otherPublic: number;
  /** Routes the router serves that the document does not list (or the reverse). */
  readonly undocumented: number;
  readonly attempts: number;
  /** Attempts without a valid token answered with anything but 401. */
  readonly not401: number;
  readonly problems: readonly string[];
}

/** Sample values for path parameters, so every templated path can be called. */
const SAMPLE: Readonly<Record<string, string>> = { name: 'stat_arb', market: 'KRW-BTC' };

/** Credentials that must all be refused: none, wrong, wrong scheme, the token minus a character, the token in a query string. */
function badCredentials(token: string): { label: string; headers: Record<string, string>; query?: string }[] {
  return [
    { label: 'no token', headers: {} },
    { label: 'wrong token', headers: { authorization: 'Bearer not-the-token-at-all-0000000000' } },
    { label: 'wrong scheme', headers: { authorization: `Basic ${token}` } },
    { label: 'truncated token', headers: { authorization: `Bearer ${token.slice(0, -1)}` } },
    { label: 'token plus a character', headers: { authorization: `Bearer ${token}x` } },
    { label: 'token in the query string', headers: {}, query: `access_token=${encodeURIComponent(token)}` },
    { label: 'empty bearer', headers: { authorization: 'Bearer ' } },
  ];
}

/** A valid-looking body per operation, so a 401 can only come from the token check. */
function bodyFor(op: Operation): string | undefined {
  if (op['x-qts-mutating'] !== true) return undefined;
  return JSON.stringify(
    op.operationId === 'updateStrategy' ? { enabled: false } : { reason: 'security table' },
  );
}

/**
 * Table-driven over `GET /api/openapi.json` (fetched with the valid token), so a new route cannot
 * be forgotten: every operation but the health check must be protected, every mutating one must be,
 * the document must list exactly the router's routes, and every protected operation must answer 401
 * to each bad credential. `baseUrl` is any running API (in-process or the `npm start` stack).
 */
export async function authTable(baseUrl: string, token: string): Promise<AuthTable> {
  const doc = (await (
    await fetch(`${baseUrl}/api/openapi.json`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { paths: Record<string, Record<string, Operation>> };
  const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
  const listed = ops.map((o) => `${o.method} ${o.path}`).sort();
  const served = API_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
  const problems: string[] = [];
  const undocumented = [
    ...served.filter((r) => !listed.includes(r)),
    ...listed.filter((r) => !served.includes(r)),
  ];
  for (const u of undocumented) problems.push(`route not in both the router and the document: ${u}`);
  let attempts = 0;
  let not401 = 0;
  const protectedOps = ops.filter((o) => o.op.security.length > 0);
  for (const { method, path, op } of protectedOps) {
    const url = `${baseUrl}${path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? 'x')}`;
    const body = bodyFor(op);
    for (const bad of badCredentials(token)) {
      attempts += 1;
      const controller = new AbortController();
      const res = await fetch(bad.query === undefined ? url : `${url}?${bad.query}`, {
        method,
        headers: { ...bad.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
      });
      if (res.status !== 401) {
        not401 += 1;
        problems.push(`${method} ${path} with ${bad.label}: ${res.status}`);
      }
      controller.abort();
      await res.body?.cancel().catch(() => undefined);
    }
  }
  const isPublic = ops.filter((o) => o.op.security.length === 0);
  return {
    operations: ops.length,
    protectedOperations: protectedOps.length,
    mutating: ops.filter((o) => o.op['x-qts-mutating'] === true).length,
    publicMutating: isPublic.filter((o) => o.op['x-qts-mutating'] === true || o.method !== 'GET').length,
    otherPublic: isPublic.filter((o) => o.path !== '/api/health').length,
    undocumented: undocumented.length,
    attempts,
    not401,
    problems,
  };
}
