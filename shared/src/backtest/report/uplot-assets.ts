import { readFileSync } from 'node:fs';

/** The charting library's browser build and stylesheet, inlined into every report. */
export interface ChartAssets {
  readonly script: string;
  readonly css: string;
}

let cached: ChartAssets | undefined;

/**
 * Reads uPlot (MIT, leeoniya/uPlot) from node_modules at render time, so the report carries the
 * exact installed version and needs no CDN: the file must open on a machine with no network.
 * `</script` cannot occur in the minified build, but it is neutralised anyway so an upgrade can
 * never break out of the inline script element.
 */
export function loadChartAssets(): ChartAssets {
  if (cached !== undefined) return cached;
  const script = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  cached = {
    script: script.replace(/<\/script/gi, '<\\/script'),
    css: css.replace(/<\/style/gi, '<\\/style'),
  };
  return cached;
}
