import { join, resolve } from 'node:path';

/**
 * The release (repository) root the executor runs from, whatever the working directory: the source
 * `executor/src/app-root.ts` under tsx and the production bundle `dist/executor/main.cjs` both sit two
 * levels below it (cli/package/executor-bundle.ts keeps it so; a bundle's `__dirname` is the
 * bundle's directory). config/default.yaml and package.json are found from here.
 */
export const APP_ROOT = resolve(__dirname, '../..');

/** The shipped config defaults of this release. */
export const APP_DEFAULT_CONFIG = join(APP_ROOT, 'config', 'default.yaml');
