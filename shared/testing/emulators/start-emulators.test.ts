import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('start-emulators.mjs', () => {
  it('fails fast with the install command when java is not on the PATH', () => {
    // A PATH holding only node: everything the script needs except Java.
    const bin = mkdtempSync(join(tmpdir(), 'qts-nojava-'));
    try {
      symlinkSync(process.execPath, join(bin, 'node'));
      const run = spawnSync(process.execPath, [join(__dirname, 'start-emulators.mjs')], {
        env: { PATH: bin, HOME: process.env.HOME ?? bin },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(run.status).toBe(1);
      const state = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
        status?: string;
        error?: string;
      };
      expect(state.status).toBe('failed');
      expect(state.error).toContain('apt-get install -y openjdk-17-jre-headless');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
