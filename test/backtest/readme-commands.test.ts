import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/** Every `npm run backtest|optimize` command in README.md's bash blocks, continuation lines joined. */
function readmeCommands(): string[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const out: string[] = [];
  for (const block of text.matchAll(/```bash\n([\s\S]*?)```/g)) {
    const joined = (block[1] ?? '').replace(/\\\n\s*/g, '');
    for (const raw of joined.split('\n')) {
      const line = raw.replace(/\s+#\s.*$/, '').trim();
      if (/^npm run (-s )?(backtest|optimize)\b/.test(line)) out.push(line);
    }
  }
  return out;
}

/** The value after `--name`, if the command has one. */
function option(cmd: string, name: string): string | undefined {
  return new RegExp(`--${name}\\s+(\\S+)`).exec(cmd)?.[1];
}

/**
 * A command runs offline when it reads candles from files that exist here (downloads need Upbit) and
 * every other path it names exists too (e.g. a recorded tape). `../shared/data` is the workspace's
 * shared data folder: present next to a real checkout, absent in some, so those commands are skipped
 * where it is missing.
 */
function offline(cmd: string): boolean {
  const data = option(cmd, 'data');
  if (data === undefined) return false;
  return ['data', 'trades', 'books'].every((n) => {
    const p = option(cmd, n);
    return p === undefined || existsSync(join(ROOT, p));
  });
}

const commands = readmeCommands();
const runnable = commands.filter(offline);

describe("README's backtest and optimize commands", () => {
  it('are found (so a reworded README cannot silently skip this test)', () => {
    expect(commands.length).toBeGreaterThanOrEqual(8);
    expect(runnable.length).toBeGreaterThanOrEqual(5);
  });

  it('use `npm run -s` whenever stdout is parsed, since npm prints a banner on stdout otherwise', () => {
    for (const cmd of commands)
      if (cmd.includes('|') || cmd.includes('--json')) expect(cmd.startsWith('npm run -s ')).toBe(true);
  });

  it.each(runnable)(
    'works when pasted: %s',
    (cmd) => {
      const before = new Set(readdirSync(ROOT));
      try {
        const r = spawnSync('bash', ['-o', 'pipefail', '-c', cmd], {
          cwd: ROOT,
          encoding: 'utf8',
          // A user's shell: no QTS_* overrides (Jest's emulator setup exports some), no CI variables.
          env: { PATH: process.env.PATH, HOME: process.env.HOME, QTS_CACHE_DIR: process.env.QTS_CACHE_DIR },
          timeout: 300_000,
        });
        expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({
          status: 0,
          stderr: '',
        });
        if (cmd.includes('| jq') || cmd.includes('--json')) expect(() => JSON.parse(r.stdout)).not.toThrow();
        else expect(r.stdout.length).toBeGreaterThan(0);
      } finally {
        // Files the command wrote (out.html, best.yaml) do not stay in the checkout.
        for (const name of readdirSync(ROOT))
          if (!before.has(name)) rmSync(join(ROOT, name), { recursive: true, force: true });
      }
    },
    320_000,
  );
});
