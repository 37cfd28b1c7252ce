import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledNodeArgs } from './bundle-launcher';

/** A tiny TypeScript program: the entry prints what its imports and Node say about it. */
function project(): { dir: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'qts-launcher-'));
  mkdirSync(join(dir, 'lib'));
  writeFileSync(
    join(dir, 'main.ts'),
    [
      "import { where, value } from './lib';",
      "process.stdout.write(JSON.stringify({ main: require.main === module, argv: process.argv.slice(1), where, value }) + '\\n');",
      "if (process.argv.includes('--fail')) process.exitCode = 3;",
      "if (process.argv.includes('--throw')) throw new Error('boom');",
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'lib', 'index.ts'),
    'export const where = __dirname;\nexport const value: number = 1;\n',
  );
  return { dir, cache: join(dir, 'cache') };
}

function run(p: { dir: string; cache: string }, ...args: string[]) {
  const r = spawnSync(process.execPath, [...bundledNodeArgs(join(p.dir, 'main.ts')), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, QTS_CACHE_DIR: p.cache },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const bundles = (cache: string) => readdirSync(join(cache, 'bundles')).filter((f) => f.endsWith('.cjs'));

describe('run-bundled launcher', () => {
  const p = project();
  afterAll(() => rmSync(p.dir, { recursive: true, force: true }));

  it('runs the entry from a cached bundle as the main module, with its argv, stdout and exit code', () => {
    const r = run(p, 'a', '--fail');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({
      main: true,
      argv: [join(p.dir, 'main.ts'), 'a', '--fail'],
      where: join(p.dir, 'lib'),
      value: 1,
    });
    expect(bundles(p.cache)).toHaveLength(1);
    expect(run(p).status).toBe(0);
    expect(bundles(p.cache)).toHaveLength(1);
  });

  it('names the .ts file and line in stack traces', () => {
    const r = run(p, '--throw');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join(p.dir, 'main.ts')}:4`);
  });

  it('never runs stale code: an edited import or a new file that changes resolution rebuilds', () => {
    writeFileSync(
      join(p.dir, 'lib', 'index.ts'),
      "export const where = 'edited';\nexport const value: number = 2;\n",
    );
    expect(JSON.parse(run(p).stdout)).toMatchObject({ where: 'edited', value: 2 });
    // `./lib` now resolves to lib.ts instead of lib/index.ts, though no input changed.
    writeFileSync(join(p.dir, 'lib.ts'), "export const where = 'shadow';\nexport const value: number = 3;\n");
    expect(JSON.parse(run(p).stdout)).toMatchObject({ where: 'shadow', value: 3 });
  });

  it('keeps replaced bundles for a minute (a run may be reading one), then removes them on a rebuild', () => {
    expect(bundles(p.cache).length).toBeGreaterThan(1);
    const old = new Date(Date.now() - 120_000);
    for (const f of readdirSync(join(p.cache, 'bundles'))) utimesSync(join(p.cache, 'bundles', f), old, old);
    writeFileSync(join(p.dir, 'lib.ts'), "export const where = 'shadow';\nexport const value: number = 4;\n");
    expect(JSON.parse(run(p).stdout)).toMatchObject({ value: 4 });
    expect(bundles(p.cache)).toHaveLength(1);
  });

  it('rebuilds when a package.json or tsconfig.json up to the package root changes', () => {
    const root = mkdtempSync(join(tmpdir(), 'qts-launcher-pkg-'));
    try {
      mkdirSync(join(root, 'src'));
      writeFileSync(join(root, 'package.json'), '{"name":"x"}');
      writeFileSync(join(root, 'src', 'main.ts'), 'process.stdout.write("ok");\n');
      const go = () => {
        const r = spawnSync(process.execPath, bundledNodeArgs(join(root, 'src', 'main.ts')), {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: process.env.HOME, QTS_CACHE_DIR: join(root, 'cache') },
        });
        expect(r.stdout).toBe('ok');
        return bundles(join(root, 'cache')).length;
      };
      expect(go()).toBe(1);
      expect(go()).toBe(1);
      writeFileSync(join(root, 'tsconfig.json'), '{"compilerOptions":{"useDefineForClassFields":false}}');
      expect(go()).toBe(2);
      writeFileSync(join(root, 'package.json'), '{"name":"y"}');
      expect(go()).toBe(3);
      expect(go()).toBe(3);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('falls back to tsx with a note when no bundle can be written, with the same output', () => {
    const blocked = { dir: p.dir, cache: join(p.dir, 'main.ts') };
    const r = run(blocked, 'x');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^note: running .*main\.ts under tsx \(no bundle: /);
    expect(JSON.parse(r.stdout)).toMatchObject({ main: true, argv: [join(p.dir, 'main.ts'), 'x'], value: 4 });
  });
});
