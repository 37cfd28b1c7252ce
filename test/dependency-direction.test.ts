import { join } from 'node:path';
import { checkDomainPurity, checkLayerImports } from '../shared/testing/dependency-check';

const fixtures = join(__dirname, 'fixtures', 'dependency-check');
const src = join(__dirname, '..', 'shared', 'src');
const format = (vs: { file: string; line: number; rule: string }[]) =>
  vs.map((v) => `${v.file}:${v.line} ${v.rule}`);

describe('dependency direction', () => {
  it('shared/src/domain imports nothing outside itself and never touches process, clock, randomness or I/O', () => {
    const violations = checkDomainPurity(join(__dirname, '..', 'shared', 'src', 'domain'));
    expect(violations.map((v) => `${v.file}:${v.line} ${v.rule}`)).toEqual([]);
  });

  it('catches a domain file that imports fs (fixture)', () => {
    const violations = checkDomainPurity(join(fixtures, 'bad-domain'));
    expect(violations).toContainEqual(
      expect.objectContaining({
        file: expect.stringContaining('reads-file.ts'),
        rule: expect.stringContaining('"fs"'),
      }),
    );
  });

  it('catches SDK imports, imports leaving the domain, clock, randomness, process and require (fixture)', () => {
    const rules = checkDomainPurity(join(fixtures, 'bad-domain', 'sub')).map((v) => v.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"@aws-sdk/client-dynamodb"'),
        expect.stringContaining('outside the domain'),
        expect.stringContaining('Date.now'),
        expect.stringContaining('new Date()'),
        expect.stringContaining('Math.random'),
        expect.stringContaining('"process"'),
        expect.stringContaining('"require"'),
      ]),
    );
  });

  it('ports depend only on the domain', () => {
    expect(
      format(checkLayerImports(join(src, 'ports'), [join(src, 'ports'), join(src, 'domain')], new Set())),
    ).toEqual([]);
  });

  it('application code depends only on the domain, ports and itself', () => {
    const dirs = [join(src, 'application'), join(src, 'ports'), join(src, 'domain')];
    expect(format(checkLayerImports(join(src, 'application'), dirs, new Set(['zod', 'decimal.js'])))).toEqual(
      [],
    );
  });

  it('catches a layer importing an adapter (fixture)', () => {
    const v = checkLayerImports(
      join(fixtures, 'bad-domain', 'sub'),
      [join(fixtures, 'bad-domain')],
      new Set(),
    );
    expect(format(v)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"@aws-sdk/client-dynamodb", which this layer must not depend on'),
      ]),
    );
  });

  it('accepts a pure file using allowed packages and new Date(at)', () => {
    expect(checkDomainPurity(join(fixtures, 'good-domain'))).toEqual([]);
  });
});
