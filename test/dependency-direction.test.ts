import { join } from 'node:path';
import { checkDomainPurity } from '../shared/testing/dependency-check';

const fixtures = join(__dirname, 'fixtures', 'dependency-check');

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

  it('accepts a pure file using allowed packages and new Date(at)', () => {
    expect(checkDomainPurity(join(fixtures, 'good-domain'))).toEqual([]);
  });
});
