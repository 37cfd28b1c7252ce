import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Keeps one Jest process's promises as cheap in its 300th test file as in its first.
 *
 * Jest 30's runner makes a new `AsyncLocalStorage` for every test file it runs and never disables it.
 * On Node 20 every enabled storage stays in one process-wide list that is walked each time any promise
 * is created, so after N files each promise costs N calls: on CI's two cores Jest runs every file in
 * one process, and promise-heavy suites late in the run were 25–100× slower than alone (the rate
 * limiter's pacing test 140 s instead of 1.5 s). Measured here: 200 enabled storages make an
 * `await` ~260× slower; disabling them restores it.
 *
 * So each test file, before its tests run, disables the storages that earlier files in this process
 * used (theirs: a file's own storages are used only once its tests start). `run` and `enterWith`
 * re-enable a storage, so one that is still wanted loses nothing but the store of work already done.
 * `node:async_hooks` is shared by every test file's module registry, hence the registry on its class.
 */
const registryKey = Symbol.for('qts.jest.usedAsyncLocalStorages');

type Registry = Set<AsyncLocalStorage<unknown>>;
type Method = (this: AsyncLocalStorage<unknown>, ...args: unknown[]) => unknown;

const holder = AsyncLocalStorage as unknown as Record<symbol, Registry | undefined>;

function installRegistry(): Registry {
  const used: Registry = new Set();
  const prototype = AsyncLocalStorage.prototype as unknown as Record<'run' | 'enterWith', Method>;
  for (const name of ['run', 'enterWith'] as const) {
    const original = prototype[name];
    prototype[name] = function recordUse(this: AsyncLocalStorage<unknown>, ...args: unknown[]) {
      used.add(this);
      return original.apply(this, args);
    };
  }
  holder[registryKey] = used;
  return used;
}

const used = holder[registryKey] ?? installRegistry();
for (const storage of used) storage.disable();
used.clear();
