import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { functionPackages, MAX_BUNDLE_BYTES, readTemplate } from '../../cli/package/package-report';
import { zipEntries } from '../../cli/package/zip-entries';
import { REPO_ROOT } from '../../shared/testing/emulators/cloudformation-resources';
import { iamStatements, resourcesOf, type Template } from './template-support';

const run = promisify(execFile);
const OUT = join(REPO_ROOT, '.serverless');

let template: Template;
let report: { functions: { name: string; bundleBytes: number; ok: boolean }[] };

// One real `npm run package` (osls + serverless-esbuild, offline, dummy credentials) for the suite.
beforeAll(async () => {
  const { stdout } = await run(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'cli/package.ts', '--stage', 'dev', '--json'],
    { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  report = JSON.parse(stdout) as typeof report;
  template = readTemplate(OUT) as Template;
}, 180_000);

describe('npm run package', () => {
  it('prints every function with its bundle size under the 1 MB target', () => {
    expect(report.functions.map((f) => f.name).sort()).toEqual([
      'qts-dev-alerts',
      'qts-dev-analyze',
      'qts-dev-api',
      'qts-dev-report',
      'qts-dev-risk',
    ]);
    for (const f of report.functions) {
      expect(f.bundleBytes).toBeGreaterThan(10_000);
      expect(f.bundleBytes).toBeLessThan(MAX_BUNDLE_BYTES);
      expect(f.ok).toBe(true);
    }
  });

  it('packages each function alone: its bundle, its source map and the config defaults (the API also the dashboard and uPlot)', () => {
    for (const p of functionPackages(OUT)) {
      const base = p.handler.slice(0, p.handler.lastIndexOf('.'));
      const own = ['config/default.yaml', `${base}.js`, `${base}.js.map`];
      if (p.name !== 'qts-dev-api') {
        expect([...p.files].sort()).toEqual(own);
        continue;
      }
      const extra = p.files.filter((f) => !own.includes(f));
      expect(extra).toEqual(
        expect.arrayContaining([
          'dashboard/index.html',
          'dashboard/js/main.js',
          'node_modules/uplot/dist/uPlot.esm.js',
          'node_modules/uplot/dist/uPlot.min.css',
        ]),
      );
      for (const f of extra)
        expect(f).toMatch(
          /^(dashboard\/[\w/.-]+\.(html|js|css|svg)|node_modules\/uplot\/dist\/uPlot\.(esm\.js|min\.css))$/,
        );
    }
  });

  it('deploys Node 22 on arm64, every function with its own role', () => {
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    const roles = new Set<string>();
    for (const [, f] of functions) {
      expect(f.Runtime).toBe('nodejs22.x');
      expect(f.Architectures).toEqual(['arm64']);
      roles.add(JSON.stringify(f.Role));
    }
    expect(roles.size).toBe(functions.length);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('schedules the analysis and the risk check every minute and the report at 00:00 UTC, which is 09:00 KST', () => {
    const rules = resourcesOf(template, 'AWS::Events::Rule').map(([, r]) => ({
      expression: r.ScheduleExpression,
      target: JSON.stringify(r.Targets),
    }));
    expect(rules).toContainEqual({
      expression: 'rate(1 minute)',
      target: expect.stringContaining('RiskLambdaFunction'),
    });
    expect(rules).toContainEqual({
      expression: 'cron(0 0 * * ? *)',
      target: expect.stringContaining('ReportLambdaFunction'),
    });
    const nineKst = Date.parse('2026-11-26T09:00:00+09:00');
    expect(new Date(nineKst).toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it('feeds the risk function new fills from the table stream, filtered to FILLS# inserts', () => {
    const [[, mapping] = ['', {}]] = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => JSON.stringify(m.FunctionName).includes('RiskLambdaFunction'),
    );
    expect(JSON.stringify(mapping.EventSourceArn)).toContain('StreamArn');
    expect(mapping.FunctionName).toEqual({ 'Fn::GetAtt': ['RiskLambdaFunction', 'Arn'] });
    const filter = JSON.parse(
      (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters[0]?.Pattern ?? '{}',
    ) as unknown;
    expect(filter).toEqual({
      eventName: ['INSERT'],
      dynamodb: { Keys: { pk: { S: [{ prefix: 'FILLS#' }] } } },
    });
  });

  it('routes the HTTP API to the api function: /api/* (any method), the dashboard files, the Telegram webhook', () => {
    const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route')
      .map(([, r]) => r.RouteKey)
      .sort();
    expect(routes).toEqual(['ANY /api/{proxy+}', 'GET /', 'GET /{proxy+}', 'POST /telegram']);
    const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration').map(([, i]) => i);
    expect(integrations).toEqual([
      expect.objectContaining({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': ['ApiLambdaFunction', 'Arn'] },
      }),
    ]);
    expect(template.Resources.ApiLambdaFunction?.Properties?.Timeout).toBeLessThanOrEqual(30);
  });

  it('feeds the alerts function from the alert queue with partial batch failures, inside its visibility', () => {
    const [[, mapping] = ['', {}]] = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => JSON.stringify(m.FunctionName).includes('AlertsLambdaFunction'),
    );
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['AlertQueue', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const timeout = Number(template.Resources.AlertsLambdaFunction?.Properties?.Timeout);
    expect(timeout).toBeLessThanOrEqual(30);
    const visibility = Number(template.Resources.AlertQueue?.Properties?.VisibilityTimeout);
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
    const env = (
      template.Resources.AlertsLambdaFunction?.Properties?.Environment as { Variables?: object } | undefined
    )?.Variables;
    expect(env).toMatchObject({ QTS_ALERT_DLQ_URL: { Ref: 'AlertDeadLetterQueue' } });
  });

  it('keeps the state table with PITR, SSE, TTL, on-demand billing and a keys-only stream', () => {
    expect(template.Resources.StateTable?.DeletionPolicy).toBe('Retain');
    expect(template.Resources.StateTable?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
    });
  });

  it('wires the FIFO decision, control and alert queues to encrypted FIFO dead-letter queues', () => {
    for (const id of ['DecisionQueue', 'ControlQueue', 'AlertQueue']) {
      const q = template.Resources[id]?.Properties ?? {};
      expect(q).toMatchObject({
        FifoQueue: true,
        ContentBasedDeduplication: false,
        SqsManagedSseEnabled: true,
      });
      const target = (q.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': string[] } })
        .deadLetterTargetArn;
      const dlq = template.Resources[target['Fn::GetAtt'][0] ?? '']?.Properties;
      expect(dlq).toMatchObject({
        FifoQueue: true,
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1209600,
      });
    }
  });

  it('alarms on every dead-letter queue, every function’s errors and the executor heartbeat age', () => {
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a);
    const watched = (metric: string) =>
      alarms.filter((a) => a.MetricName === metric).map((a) => JSON.stringify(a.Dimensions));
    for (const dlq of ['DecisionDeadLetterQueue', 'ControlDeadLetterQueue', 'AlertDeadLetterQueue'])
      expect(watched('ApproximateNumberOfMessagesVisible').some((d) => d.includes(dlq))).toBe(true);
    for (const fn of [
      'AnalyzeLambdaFunction',
      'RiskLambdaFunction',
      'ReportLambdaFunction',
      'ApiLambdaFunction',
      'AlertsLambdaFunction',
    ])
      expect(watched('Errors').some((d) => d.includes(fn))).toBe(true);
    const heartbeat = alarms.find((a) => a.MetricName === 'ExecutorHeartbeatAgeSeconds');
    expect(heartbeat).toMatchObject({
      Namespace: 'QTS',
      TreatMissingData: 'breaching',
      ComparisonOperator: 'GreaterThanThreshold',
    });
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
  });

  it('grants no wildcard action and scopes every data permission to the table, its index/stream, a queue or a log group', () => {
    const statements = iamStatements(template);
    expect(statements.length).toBeGreaterThan(5);
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      for (const action of s.actions) {
        expect(action).not.toContain('*');
        expect(action).toMatch(/^(dynamodb|sqs|logs|sts|ssm):[A-Za-z]+$/);
      }
      if (s.actions.every((a) => a.startsWith('sts:'))) continue;
      for (const resource of s.resources) {
        expect(resource).not.toBe('"*"');
        const prefix = s.actions[0]?.split(':')[0];
        if (prefix === 'dynamodb') expect(resource).toMatch(/StateTable/);
        if (prefix === 'sqs') expect(resource).toMatch(/(Decision|Control|Alert)(DeadLetter)?Queue/);
        if (prefix === 'logs')
          expect(resource).toMatch(/log-group:\/aws\/lambda\/qts-dev-(analyze|risk|report|api|alerts):\*/);
        if (prefix === 'ssm')
          expect(resource).toMatch(
            /:parameter\/qts\/dev\/(QTS_API_TOKEN|TELEGRAM_BOT_TOKEN|TELEGRAM_CHAT_ID)"/,
          );
      }
    }
  });

  it('limits item writes to the partitions each function owns', () => {
    const writes = iamStatements(template).filter((s) =>
      s.actions.some((a) => ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].includes(a)),
    );
    for (const s of writes) expect(JSON.stringify(s.condition)).toContain('dynamodb:LeadingKeys');
    const report = writes.filter((s) => s.role === 'ReportFunctionRole').flatMap((s) => s.leadingKeys);
    expect(report.sort()).toEqual(['IDEMPOTENCY#report', 'REPORTS#DAILY', 'STATUS']);
    const risk = writes.filter((s) => s.role === 'RiskFunctionRole').flatMap((s) => s.leadingKeys);
    expect(risk.sort()).toEqual(['AUDIT', 'CONTROL', 'LEDGER', 'STATUS']);
    const analyze = writes.filter((s) => s.role === 'AnalyzeFunctionRole').flatMap((s) => s.leadingKeys);
    expect(analyze.sort()).toEqual(['DECISION#*', 'SIGNALS#*', 'STATUS', 'STRATEGYSTATE#*']);
    const api = writes.filter((s) => s.role === 'ApiFunctionRole').flatMap((s) => s.leadingKeys);
    expect(api.sort()).toEqual(['AUDIT', 'CONTROL', 'IDEMPOTENCY#api', 'SETTINGS#STRATEGY']);
    expect(writes.filter((s) => s.role === 'AlertsFunctionRole')).toEqual([]);
  });

  it('gives no function access to Upbit secrets: SSM only for the API and alerts, on their own parameters; no key in the environment, no exchange code in a bundle', () => {
    const secretReads = iamStatements(template).filter((s) =>
      s.actions.some((a) => /^(ssm|kms|secretsmanager):/.test(a)),
    );
    expect(secretReads.flatMap((s) => s.actions)).toEqual(['ssm:GetParameter', 'ssm:GetParameter']);
    const readable = (role: string) =>
      secretReads
        .filter((s) => s.role === role)
        .flatMap((s) => s.resources.map((r) => /parameter\/qts\/dev\/(\w+)"/.exec(r)?.[1]))
        .sort();
    expect(readable('ApiFunctionRole')).toEqual(['QTS_API_TOKEN', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID']);
    expect(readable('AlertsFunctionRole')).toEqual(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID']);
    for (const [, f] of resourcesOf(template, 'AWS::Lambda::Function'))
      expect(JSON.stringify((f.Environment as { Variables: object }).Variables)).not.toMatch(/UPBIT/i);
    for (const p of functionPackages(OUT)) {
      const map = zipEntries(p.zip).find((e) => e.name.endsWith('.js.map'));
      const sources = (JSON.parse(map?.read().toString('utf8') ?? '{}') as { sources: string[] }).sources;
      expect(sources.some((s) => s.includes('shared/src/application'))).toBe(true);
      expect(sources.filter((s) => /adapters\/upbit|upbit-jwt|jsonwebtoken|fake-exchange/.test(s))).toEqual(
        [],
      );
    }
  });

  it('runs the packaged bundle in a fresh Node: config from the package, events validated, wiring required', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-bundle-'));
    try {
      const [risk] = functionPackages(OUT).filter((p) => p.name === 'qts-dev-risk');
      for (const e of zipEntries(risk?.zip ?? '')) {
        mkdirSync(dirname(join(dir, e.name)), { recursive: true });
        writeFileSync(join(dir, e.name), e.read());
      }
      const script = `
        const { handler } = require(${JSON.stringify(join(dir, 'functions/risk/handler.js'))});
        const ctx = { awsRequestId: 'r', functionName: 'qts-dev-risk', getRemainingTimeInMillis: () => 30000 };
        (async () => {
          const bad = await handler({ cause: 'nope' }, ctx);
          let fatal;
          try { await handler({}, ctx); } catch (e) { fatal = { kind: e.kind, code: e.code, message: e.message }; }
          process.stdout.write(JSON.stringify({ bad, fatal }));
        })();`;
      const { stdout } = await run(process.execPath, ['-e', script], {
        cwd: dir,
        env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: dir, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      });
      const out = JSON.parse(stdout) as { bad: unknown; fatal: unknown };
      expect(out.bad).toMatchObject({ ok: false, error: { kind: 'rejected', code: 'invalid_event' } });
      expect(out.fatal).toMatchObject({
        kind: 'fatal',
        code: 'config_missing',
        message: expect.stringMatching(/^QTS_[A-Z_]+ is not set/),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
