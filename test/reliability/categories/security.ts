import { FAKE_SECRETS } from '../lib/captured-logs';
import type { CampaignContext, Category } from '../lib/context';
import { startCountingApi } from '../lib/counting-api';
import { atLeast, type CategoryResult, categoryResult, type Figure, info, zero } from '../lib/report';
import { type AuthTable, authTable } from '../security/api-auth-table';
import { constantTimeCheck } from '../security/constant-time';
import { dependencyAudit } from '../security/dependency-audit';
import { scanLambdaPackage } from '../security/lambda-package';
import { provokeSecretLeaks } from '../security/secret-provocation';

/** The auth table against the API served in-process on memory stores, counting every store write. */
async function inProcessAuthTable(): Promise<{ table: AuthTable; writes: number }> {
  const { server, counter } = await startCountingApi();
  try {
    const table = await authTable(server.url, FAKE_SECRETS.apiToken);
    return { table, writes: counter.writes };
  } finally {
    await server.close();
  }
}

/** Figures of one auth table (`where`: which API it ran against). */
export function authFigures(where: string, t: AuthTable, writes?: number): Figure[] {
  return [
    atLeast(`${where}: operations in /api/openapi.json`, t.operations, 2),
    info(
      `${where}: protected operations × bad credentials tried`,
      `${t.protectedOperations} × 7 = ${t.attempts}`,
    ),
    zero(`${where}: answers other than 401 without a valid token`, t.not401),
    zero(`${where}: mutating routes without auth`, t.publicMutating),
    zero(`${where}: public routes other than /api/health`, t.otherPublic),
    zero(`${where}: routes missing from the OpenAPI document`, t.undocumented),
    ...(writes === undefined ? [] : [zero(`${where}: store writes by refused requests`, writes)]),
  ];
}

async function run(ctx: CampaignContext): Promise<CategoryResult> {
  const started = Date.now();
  ctx.progress('security: API auth table, token comparison');
  const api = await inProcessAuthTable();
  const ct = await constantTimeCheck(FAKE_SECRETS.apiToken);
  ctx.progress('security: npm run package, IAM and bundles');
  const lambda = await scanLambdaPackage();
  ctx.progress('security: dependency audit');
  const deps = await dependencyAudit();
  ctx.progress('security: provoking and scanning every log of the campaign for the secrets');
  const provoked = await provokeSecretLeaks(ctx.logs);
  const scan = ctx.logs.scan(Object.values(FAKE_SECRETS));
  return categoryResult(
    'security',
    '7. Security',
    [
      ...authFigures('API (in-process)', api.table, api.writes),
      zero('token comparison: probes whose characters read depend on the mismatch', ct.timingDependent),
      zero('token checkers comparing a secret with ===', ct.directComparisons),
      zero(
        'API token check not through the constant-time authenticator',
        ct.apiBypassesAuthenticator ? 1 : 0,
      ),
      info(
        'log files / lines scanned (whole campaign)',
        `${scan.files} / ${scan.lines.toLocaleString('en-US')}`,
      ),
      info('  of which provoked here (Telegram and Upbit refusals, config errors)', provoked),
      zero('log lines containing a secret (Upbit keys, API token, Telegram token)', scan.hits.length),
      info('Lambda functions / IAM statements checked', `${lambda.functions} / ${lambda.statements}`),
      zero('IAM actions with *', lambda.wildcardActions),
      zero('IAM data resources with *', lambda.wildcardDataResources),
      zero('Lambda environments with an UPBIT variable', lambda.upbitInEnvironment),
      zero('Lambda bundles with Upbit secret access', lambda.bundlesWithUpbitSecretAccess),
      zero(
        'high/critical advisories in production dependencies (npm audit)',
        deps.highOrCritical,
        deps.auditNote,
      ),
      zero('installed versions known to be malicious (offline list)', deps.knownBad),
      zero(
        `production dependencies with a copyleft or no license (of ${deps.productionPackages})`,
        deps.copyleftOrUnlicensed,
      ),
    ],
    started,
    [
      deps.auditNote,
      ...api.table.problems,
      ...ct.problems,
      ...lambda.problems,
      ...deps.problems,
      ...scan.hits.slice(0, 10).map((h) => `secret ${h.secret}… in ${h.file}:${h.line}`),
    ],
  );
}

/** Category 7: auth over the OpenAPI table, token comparison, secrets in logs, IAM, bundles, dependencies. */
export const security: Category = { id: 'security', title: '7. Security', run };
