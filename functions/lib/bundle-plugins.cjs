// esbuild plugins for the Lambda bundles (serverless.yml `custom.esbuild.plugins`, and the bundle
// benchmark). CommonJS because serverless-esbuild loads this file with require().

/**
 * zod 4 re-exports every translation of its error messages (`z.locales`, ~300 KB minified) from its
 * main entry point, and esbuild cannot drop members of that namespace object. Nothing here uses
 * `z.locales` (messages are English, set by zod itself from `locales/en.js`, which stays), so the
 * index of locales is replaced by an empty module.
 */
const dropZodLocales = {
  name: 'qts-drop-zod-locales',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)
        ? { path: 'zod-locales-index', namespace: 'qts-empty' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'qts-empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

module.exports = [dropZodLocales];
