import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmScriptNodeFlags, runScript } from '../../bench/lib/child-process';

describe('bench child processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qts-bench-child-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('run a TypeScript script from its bundle with only the given Node flags, stderr lines as they come', async () => {
    const script = join(dir, 'child.ts');
    writeFileSync(
      script,
      [
        "const bundled: boolean = __filename.endsWith('.ts') && !require.main?.filename.endsWith('.ts');",
        "process.stderr.write('step 1\\nstep 2\\n');",
        'process.stdout.write(JSON.stringify({ bundled, main: require.main === module, flags: process.execArgv }));',
        '',
      ].join('\n'),
    );
    const lines: string[] = [];
    const r = await runScript(script, [], {
      nodeFlags: ['--single-threaded-gc'],
      onStderrLine: (l) => lines.push(l),
    });
    expect(r.exitCode).toBe(0);
    expect(lines).toEqual(['step 1', 'step 2']);
    const out = JSON.parse(r.stdout) as { bundled: boolean; main: boolean; flags: string[] };
    expect(out.bundled).toBe(true);
    expect(out.main).toBe(true);
    expect(out.flags[0]).toBe('--single-threaded-gc');
    expect(out.flags.some((f) => f.includes('loader.mjs') || f === '--import')).toBe(false);
    expect(r.maxRssMb).toBeGreaterThan(10);
  });

  it("read an npm script's Node flags from package.json", () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts.backtest).toBe('node --require tsx/cjs cli/lib/run-bundled.ts cli/backtest.ts');
    expect(npmScriptNodeFlags('backtest')).toEqual([]);
    const optimize = npmScriptNodeFlags('optimize');
    expect(scripts.optimize).toBe(
      `node ${[...optimize, ''].join(' ')}--require tsx/cjs cli/lib/run-bundled.ts cli/optimize.ts`,
    );
    expect(() => npmScriptNodeFlags('bench')).toThrow('does not start with node');
  });
});
