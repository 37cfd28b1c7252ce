import type { RunningApiServer } from '../../shared/src/adapters/http/api-server';
import { startLocalApi } from '../../shared/src/adapters/http/local-api';
import { API_ROUTES } from '../../shared/src/application/api/api-routes';
import { type ApiWorld, AUTH, apiWorld, TOKEN } from './support/api-world';

interface Operation {
  readonly operationId: string;
  readonly security: readonly unknown[];
  readonly 'x-qts-mutating': boolean;
}
type Document = { paths: Record<string, Record<string, Operation>> };

/** Sample values for path parameters, so every templated path can be called. */
const SAMPLE: Readonly<Record<string, string>> = { name: 'stat_arb', market: 'KRW-BTC' };

let world: ApiWorld;
let server: RunningApiServer;
let document: Document;

beforeAll(async () => {
  world = apiWorld();
  server = await startLocalApi(world.deps, { host: '127.0.0.1', port: 0, liveUpdateMs: 60_000 });
  document = (await (await fetch(`${server.url}/api/openapi.json`, { headers: AUTH })).json()) as Document;
});

afterAll(() => server.close());

function operations(): [string, string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]): [string, string, Operation] => [method.toUpperCase(), path, op]),
  );
}

/** A plausible valid body, so a 401 can only come from the token check, never from validation. */
function bodyFor(op: Operation): string | undefined {
  if (!op['x-qts-mutating']) return undefined;
  return JSON.stringify(
    op.operationId === 'updateStrategy' ? { enabled: false } : { reason: 'security test' },
  );
}

describe('security, table-driven over the OpenAPI document', () => {
  it('lists every route the router serves, and only /api/health is public', () => {
    const listed = operations()
      .map(([method, path]) => `${method} ${path}`)
      .sort();
    expect(listed).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect(
      operations()
        .filter(([, , op]) => op.security.length === 0)
        .map(([, path]) => path),
    ).toEqual(['/api/health']);
  });

  it.each(['missing', 'wrong', 'wrong scheme', 'almost right'])(
    'every non-public route answers 401 with a %s token, and nothing changes',
    async (kind) => {
      const header: Record<string, string> =
        kind === 'missing'
          ? {}
          : kind === 'wrong'
            ? { authorization: 'Bearer not-the-token' }
            : kind === 'wrong scheme'
              ? { authorization: `Basic ${TOKEN}` }
              : { authorization: `Bearer ${TOKEN.slice(0, -1)}` };
      const protectedOps = operations().filter(([, , op]) => op.security.length > 0);
      expect(protectedOps).toHaveLength(API_ROUTES.filter((r) => r.auth !== 'public').length);
      for (const [method, template, op] of protectedOps) {
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? 'x');
        const body = bodyFor(op);
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { ...header, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body }),
        });
        expect({ route: `${method} ${template}`, status: res.status }).toEqual({
          route: `${method} ${template}`,
          status: 401,
        });
        expect(await res.json()).toMatchObject({ error: 'unauthorized' });
      }
      const control = await world.store.getControl();
      expect(control.latch).toBeUndefined();
      expect(control.tradingEnabled).toBe(true);
      expect(await world.drainControl()).toEqual([]);
      expect(await world.store.listAudit({ limit: 10 })).toEqual([]);
    },
  );

  it('a valid token reaches every read route', async () => {
    for (const [method, template, op] of operations()) {
      if (method !== 'GET' || op.operationId === 'events') continue;
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? 'x');
      const res = await fetch(`${server.url}${path}`, { headers: AUTH });
      expect({ route: template, status: res.status }).toEqual({ route: template, status: 200 });
    }
  });
});
