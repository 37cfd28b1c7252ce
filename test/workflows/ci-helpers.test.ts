import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './support/workflows';

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, { cwd: REPO, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

describe('notify-telegram.sh', () => {
  const requests: { path: string; body: URLSearchParams }[] = [];
  let status = 200;
  let server: Server;
  let api = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        requests.push({ path: req.url ?? '', body: new URLSearchParams(body) });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: status === 200 }));
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
  beforeEach(() => {
    requests.length = 0;
    status = 200;
  });

  const notify = (env: Record<string, string>) =>
    runCommand('bash', ['.github/scripts/notify-telegram.sh'], {
      PATH: process.env.PATH,
      TELEGRAM_API_URL: api,
      DEPLOY_ENV: 'production',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_ACTOR: 'trader',
      GITHUB_REF_NAME: 'main',
      RUN_URL: 'https://example.invalid/run/1',
      ...env,
    });

  it('reports a successful deploy in Korean and English, with the commit and the run', async () => {
    const result = await notify({
      TELEGRAM_BOT_TOKEN: 'bot-token-1',
      TELEGRAM_CHAT_ID: '42',
      JOB_STATUS: 'success',
    });

    expect(result.code).toBe(0);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.path).toBe('/botbot-token-1/sendMessage');
    expect(requests[0]?.body.get('chat_id')).toBe('42');
    const text = requests[0]?.body.get('text') ?? '';
    expect(text).toContain('배포 완료');
    expect(text).toContain('deploy succeeded: production 0123456');
    expect(text).toContain('https://example.invalid/run/1');
  });

  it('reports a failure as a failure', async () => {
    await notify({ TELEGRAM_BOT_TOKEN: 't', TELEGRAM_CHAT_ID: '42', JOB_STATUS: 'failure' });

    expect(requests[0]?.body.get('text')).toContain('배포 실패');
    expect(requests[0]?.body.get('text')).toContain('deploy FAILED');
  });

  it('never fails the job: no token means no message, an unreachable Telegram means a warning', async () => {
    const unset = await notify({ TELEGRAM_BOT_TOKEN: '', TELEGRAM_CHAT_ID: '42', JOB_STATUS: 'success' });
    expect(unset.code).toBe(0);
    expect(unset.stdout).toContain('::warning::');
    expect(requests).toHaveLength(0);

    status = 500;
    const down = await notify({ TELEGRAM_BOT_TOKEN: 't', TELEGRAM_CHAT_ID: '42', JOB_STATUS: 'success' });
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('could not be sent');
  });
});

/** A zip with stored entries whose central directory declares `sizes` as uncompressed sizes. */
function zipDeclaring(sizes: readonly number[]): Buffer {
  const central: Buffer[] = [];
  sizes.forEach((size, i) => {
    const name = Buffer.from(`f${i}.js`);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    central.push(header, name);
  });
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sizes.length, 8);
  end.writeUInt16LE(sizes.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(0, 16); // the directory starts the file: no local entries needed for sizes
  return Buffer.concat([directory, end]);
}

describe('.ci/bundle-size.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qts-bundles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const report = (d: string, ...args: string[]) =>
    runCommand(process.execPath, ['.ci/bundle-size.mjs', d, ...args], { PATH: process.env.PATH });

  it('reports zipped and unzipped sizes of each artifact, largest first', async () => {
    const ok = join(dir, 'ok');
    rmSync(ok, { recursive: true, force: true });
    mkdirSync(ok);
    writeFileSync(join(ok, 'analyze.zip'), zipDeclaring([1000, 2000]));
    writeFileSync(join(ok, 'api.zip'), zipDeclaring([5]));

    const result = await report(ok, '--json');

    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { name: string; unzippedBytes: number; overLimit: boolean }[];
    expect(rows.map((r) => [r.name, r.unzippedBytes, r.overLimit])).toEqual([
      ['analyze.zip', 3000, false],
      ['api.zip', 5, false],
    ]);
  });

  it("fails when an artifact is over Lambda's 250 MB unzipped limit, and when there is nothing", async () => {
    const big = join(dir, 'big');
    mkdirSync(big);
    writeFileSync(join(big, 'fat.zip'), zipDeclaring([200 * 1024 * 1024, 60 * 1024 * 1024]));

    const over = await report(big);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('fat.zip exceeds');
    expect(over.stdout).toContain('❌');

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = await report(empty);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no .zip artifacts');
  });
});
