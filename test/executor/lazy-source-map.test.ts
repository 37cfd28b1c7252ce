import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
const MODULE = resolve(__dirname, '../../executor/src/runtime/lazy-source-map.ts');

// A small program bundled and minified like the executor (esbuild, external map beside it), run in a
// child process: Error.prepareStackTrace is process-wide, and Jest formats its own stacks. It throws
// from a named function, reads the stack, lets the keep time pass, and reports what the hook did.
const PROGRAM = `import { installLazySourceMaps } from ${JSON.stringify(MODULE)};

const maps = installLazySourceMaps(__filename, { keepMs: Number(process.env.KEEP_MS) });
function failingStep(): never {
  throw new RangeError('boom');
}
function stackOf(): string {
  try {
    failingStep();
  } catch (error) {
    return (error as Error).stack ?? '';
  }
  return '';
}
const before = { loaded: maps?.loaded(), loads: maps?.loads() };
const first = stackOf();
const afterFirst = { loaded: maps?.loaded(), loads: maps?.loads() };
const second = stackOf();
const afterSecond = { loaded: maps?.loaded(), loads: maps?.loads() };
setTimeout(() => {
  const afterKeep = { loaded: maps?.loaded(), loads: maps?.loads() };
  const third = stackOf();
  process.stdout.write(JSON.stringify({ installed: maps !== undefined, before, first, afterFirst, second, afterSecond, afterKeep, third, afterThird: maps?.loads() }));
}, 300);
`;

interface Report {
  installed: boolean;
  before: { loaded: boolean; loads: number };
  first: string;
  afterFirst: { loaded: boolean; loads: number };
  second: string;
  afterSecond: { loaded: boolean; loads: number };
  afterKeep: { loaded: boolean; loads: number };
  third: string;
  afterThird: number;
}

describe('lazy source maps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qts-lazy-map-'));
  const entry = join(dir, 'program.ts');
  const bundle = join(dir, 'out', 'program.cjs');

  beforeAll(async () => {
    writeFileSync(entry, PROGRAM);
    await build({
      entryPoints: [entry],
      outfile: bundle,
      bundle: true,
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = async (flags: readonly string[], keepMs: number): Promise<Report> => {
    const { stdout } = await run(process.execPath, [...flags, bundle], {
      env: { PATH: process.env.PATH ?? '', KEEP_MS: String(keepMs) },
    });
    return JSON.parse(stdout) as Report;
  };

  it('reads the map at the first stack, maps it to the TypeScript, and drops it after the keep time', async () => {
    const r = await start([], 100);
    expect(r.installed).toBe(true);
    expect(r.before).toEqual({ loaded: false, loads: 0 });
    const frames = r.first.split('\n');
    expect(frames[0]).toBe('RangeError: boom');
    expect(frames[1]).toBe(`    at failingStep (${entry}:5:9)`);
    expect(frames[2]).toBe(`    at stackOf (${entry}:9:5)`);
    expect(r.afterFirst).toEqual({ loaded: true, loads: 1 });
    // Stacks while it is kept reuse it (each from another caller: only the frames below stackOf differ).
    expect(r.second.split('\n').slice(0, 3)).toEqual(frames.slice(0, 3));
    expect(r.afterSecond).toEqual({ loaded: true, loads: 1 });
    // Quiet for longer than the keep time: given back; the next stack reads it again.
    expect(r.afterKeep).toEqual({ loaded: false, loads: 1 });
    expect(r.third.split('\n').slice(0, 3)).toEqual(frames.slice(0, 3));
    expect(r.afterThird).toBe(2);
  });

  it('leaves mapping to Node under --enable-source-maps', async () => {
    const r = await start(['--enable-source-maps'], 100);
    expect(r.installed).toBe(false);
    expect(r.first.split('\n')[1]).toBe(`    at failingStep (${entry}:5:9)`);
  });
});
