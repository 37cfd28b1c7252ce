import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

// Class fields use assign semantics everywhere (tsconfig.json's useDefineForClassFields: false):
// a field declared without an initialiser is not defined as `undefined` before the constructor
// runs, so V8 types it by its first real value. With define semantics every such field starts as
// `undefined` and V8 tracks it as "any" for the object's life, so optimised code re-checks the
// class of whatever it loads from it (bench/history/backtest-loop.md, "Twenty-ninth pass":
// market_making −0.7 %, `all` −1.2 % instructions). The bundles, tsx and serverless-esbuild read
// tsconfig.json; Jest's swc transform has its own setting. This keeps the two in step, so tests run
// what ships.

const SOURCE = `class Probe {
  late?: number;
  early = 1;
  constructor(set: boolean) {
    if (set) this.late = 2;
  }
}
module.exports = [Object.keys(new Probe(false)), Object.keys(new Probe(true))];`;

class Probe {
  late?: number;
  early = 1;
  constructor(set: boolean) {
    if (set) this.late = 2;
  }
}

describe('class field semantics', () => {
  it('tsconfig.json asks for assign semantics', () => {
    const config = JSON.parse(readFileSync(join(__dirname, '..', 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { useDefineForClassFields?: boolean };
    };
    expect(config.compilerOptions.useDefineForClassFields).toBe(false);
  });

  it("Jest's transform gives assign semantics: a field without an initialiser exists once set", () => {
    expect(Object.keys(new Probe(false))).toEqual(['early']);
    expect(Object.keys(new Probe(true))).toEqual(['early', 'late']);
  });

  it("esbuild, with tsconfig.json's options, gives the same", () => {
    const config = JSON.parse(readFileSync(join(__dirname, '..', 'tsconfig.json'), 'utf8')) as {
      compilerOptions: Record<string, unknown>;
    };
    const { code } = transformSync(SOURCE, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      tsconfigRaw: { compilerOptions: config.compilerOptions },
    });
    const mod = { exports: undefined as unknown };
    new Function('module', code)(mod);
    expect(mod.exports).toEqual([['early'], ['early', 'late']]);
  });
});
