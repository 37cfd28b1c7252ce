import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { REPO } from './support/workflows';

// The setup file every test file loads first (jest.config.js): it must disable the storages earlier
// files used, and leave a storage that is used again fully working.
const setupFile = join(REPO, 'shared/testing/jest-async-storage.ts');

function loadSetupAsTheNextFileWould(): void {
  jest.isolateModules(() => {
    require(setupFile);
  });
}

describe('the per-file async-local-storage reset', () => {
  it('is in every project, before any other setup file', () => {
    const config = require(join(REPO, 'jest.config.js')) as {
      projects: { setupFilesAfterEnv?: string[] }[];
    };
    for (const project of config.projects) {
      expect(project.setupFilesAfterEnv?.[0]).toBe('<rootDir>/shared/testing/jest-async-storage.ts');
    }
  });

  it('disables a storage an earlier file entered, and a later run of it works as before', async () => {
    const storage = new AsyncLocalStorage<string>();
    storage.enterWith('earlier file');
    expect(storage.getStore()).toBe('earlier file');

    loadSetupAsTheNextFileWould();
    expect(storage.getStore()).toBeUndefined();

    const seen = await storage.run('again', async () => {
      await Promise.resolve();
      return storage.getStore();
    });
    expect(seen).toBe('again');
  });

  it('disables a storage used through run as well, once per use', () => {
    const storage = new AsyncLocalStorage<number>();
    let inside: number | undefined;
    storage.run(1, () => {
      storage.enterWith(2);
      loadSetupAsTheNextFileWould();
      inside = storage.getStore();
    });
    expect(inside).toBeUndefined();
    loadSetupAsTheNextFileWould();
    expect(storage.run(3, () => storage.getStore())).toBe(3);
  });

  it('wraps run and enterWith once however many files load it', () => {
    const before = AsyncLocalStorage.prototype.run;
    loadSetupAsTheNextFileWould();
    loadSetupAsTheNextFileWould();
    expect(AsyncLocalStorage.prototype.run).toBe(before);
  });
});
