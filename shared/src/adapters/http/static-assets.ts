import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { type HttpRequest, type HttpResponse, SECURITY_HEADERS } from '../../application/api/http-types';

/** One static file, held in memory (the whole dashboard is well under a megabyte). */
export interface StaticAsset {
  readonly contentType: string;
  readonly body: Buffer;
  readonly etag: string;
}

/** Looks a URL path up; undefined when it is not a dashboard file. */
export type AssetLookup = (path: string) => StaticAsset | undefined;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The repository's `dashboard/` folder. */
export const DEFAULT_DASHBOARD_DIR = resolve(__dirname, '../../../../dashboard');

/** Where uPlot's browser build lives (resolved through node_modules, so the installed version is served). */
export function defaultUplotDir(): string {
  return dirname(require.resolve('uplot/dist/uPlot.esm.js'));
}

function etagOf(body: Buffer): string {
  let h = 0x811c9dc5;
  for (const byte of body) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return `"${body.length.toString(36)}-${h.toString(36)}"`;
}

function asset(path: string): StaticAsset {
  const body = readFileSync(path);
  return { contentType: TYPES[extname(path)] ?? 'application/octet-stream', body, etag: etagOf(body) };
}

function filesUnder(dir: string, prefix: string, out: Map<string, StaticAsset>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, `${prefix}${name}/`, out);
    else if (TYPES[extname(name)] !== undefined && !name.endsWith('.d.ts'))
      out.set(`${prefix}${name}`, asset(path));
  }
}

/**
 * Loads the dashboard (`dashboard/`, served at `/`) and uPlot's ESM build and stylesheet (served at
 * `/vendor/`) into memory once. Only files that exist at load time can ever be served, so no URL can
 * reach outside these folders (no path traversal to guard at request time). The charting library
 * comes from node_modules, never a CDN: the dashboard works offline.
 */
export function loadDashboardAssets(
  options: { readonly dashboardDir?: string; readonly uplotDir?: string } = {},
): AssetLookup {
  const files = new Map<string, StaticAsset>();
  filesUnder(options.dashboardDir ?? DEFAULT_DASHBOARD_DIR, '/', files);
  const uplot = options.uplotDir ?? defaultUplotDir();
  files.set('/vendor/uplot.esm.js', asset(join(uplot, 'uPlot.esm.js')));
  files.set('/vendor/uplot.min.css', asset(join(uplot, 'uPlot.min.css')));
  const index = files.get('/index.html');
  if (index !== undefined) files.set('/', index);
  return (path) => files.get(path);
}

/** Response headers of a static file: security headers, type, and revalidation by ETag. */
export function assetHeaders(a: StaticAsset): Record<string, string> {
  return {
    ...SECURITY_HEADERS,
    'content-type': a.contentType,
    'cache-control': 'no-cache',
    etag: a.etag,
  };
}

/**
 * A dashboard file as an {@link HttpResponse} (every asset is text), or undefined when the path is
 * not one: what the Lambda wrapper serves for non-`/api/` paths. Honours `If-None-Match` (304).
 */
export function staticResponse(lookup: AssetLookup, req: HttpRequest): HttpResponse | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const asset = lookup(req.path);
  if (asset === undefined) return undefined;
  const headers = assetHeaders(asset);
  if (req.headers['if-none-match'] === asset.etag) return { status: 304, headers, body: '' };
  return { status: 200, headers, body: req.method === 'HEAD' ? '' : asset.body.toString('utf8') };
}
