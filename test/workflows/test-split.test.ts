import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from './support/workflows';

interface Tiers {
  readonly unit: string[];
  readonly integration: string[];
}
interface ProjectConfig {
  readonly displayName: string;
  readonly testPathIgnorePatterns?: string[];
  readonly testRegex?: string[];
}

// CommonJS modules at the repository root, read the way Jest reads them.
const tiers = require(join(REPO, '.ci/test-tiers.cjs')) as {
  classifyTests: (root: string) => Tiers;
  SLOW_SUITES: readonly string[];
};
const config = require(join(REPO, 'jest.config.js')) as { projects: ProjectConfig[] };

describe('the unit / integration split of the test suite', () => {
  const { unit, integration } = tiers.classifyTests(REPO);
  const project = (name: string) => {
    const found = config.projects.find((p) => p.displayName === name);
    if (found === undefined) throw new Error(`jest.config.js has no project ${name}`);
    return found;
  };
  const matchesAny = (patterns: readonly string[] | undefined, file: string) =>
    (patterns ?? []).some((p) => new RegExp(p).test(file));

  it('puts every test file in exactly one tier', () => {
    expect(unit.length).toBeGreaterThan(0);
    expect(integration.length).toBeGreaterThan(0);
    expect(unit.filter((f) => integration.includes(f))).toEqual([]);
    const unitProject = project('unit');
    const integrationProject = project('integration');
    for (const file of integration) {
      expect({ file, inUnit: matchesAny(unitProject.testPathIgnorePatterns, file) }).toEqual({
        file,
        inUnit: true, // ignored by the unit project
      });
      expect({ file, inIntegration: matchesAny(integrationProject.testRegex, file) }).toEqual({
        file,
        inIntegration: true,
      });
    }
    for (const file of unit)
      expect({ file, inIntegration: matchesAny(integrationProject.testRegex, file) }).toEqual({
        file,
        inIntegration: false,
      });
  });

  it('runs suites that start processes, emulators or servers as integration', () => {
    const rel = integration.map((f) => relative(REPO, f));
    expect(rel).toEqual(
      expect.arrayContaining([
        'test/deploy/deploy-scripts.test.ts',
        'test/workflows/workflow-policy.test.ts',
        'shared/src/adapters/dynamodb/dynamodb-state-store.test.ts',
        'test/ops/ops-cli.test.ts',
      ]),
    );
    expect(unit.map((f) => relative(REPO, f))).toEqual(
      expect.arrayContaining(['shared/src/domain/money/quantities.test.ts']),
    );
  });

  it('names only slow suites that exist (a renamed file must leave the list)', () => {
    for (const file of tiers.SLOW_SUITES)
      expect({ file, exists: existsSync(join(REPO, file)) }).toEqual({
        file,
        exists: true,
      });
  });
});
