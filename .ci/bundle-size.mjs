#!/usr/bin/env node
/**
 * Bundle-size report for the serverless artifacts (`npm run package` output): zipped and unzipped
 * size of every `*.zip` in the directory, against AWS Lambda's hard limits (50 MB zipped for a
 * direct upload, 250 MB unzipped), so a dependency that bloats a function shows up in review.
 * Writes a Markdown table to $GITHUB_STEP_SUMMARY when set; exits 1 when a limit is exceeded.
 *
 * Usage: node .ci/bundle-size.mjs [DIR]        (default .serverless) · --json for machine output
 */
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MB = 1024 * 1024;
/** AWS Lambda quotas for a .zip deployment package. */
export const LIMITS = { zippedBytes: 50 * MB, unzippedBytes: 250 * MB };

/** Sum of the entries' uncompressed sizes, read from the zip's central directory (no ZIP64). */
export function unzippedSize(buffer) {
  const min = Math.max(0, buffer.length - 22 - 0xffff);
  for (let eocd = buffer.length - 22; eocd >= min; eocd--) {
    if (buffer.readUInt32LE(eocd) !== 0x06054b50) continue;
    const entries = buffer.readUInt16LE(eocd + 10);
    let at = buffer.readUInt32LE(eocd + 16);
    let total = 0;
    for (let i = 0; i < entries; i++) {
      if (buffer.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt central directory');
      total += buffer.readUInt32LE(at + 24);
      at += 46 + buffer.readUInt16LE(at + 28) + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    }
    return total;
  }
  throw new Error('not a zip file (no end of central directory record)');
}

/** One row per artifact, largest first. */
export function measure(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.zip'))
    .map((name) => {
      const path = join(dir, name);
      const zipped = statSync(path).size;
      const unzipped = unzippedSize(readFileSync(path));
      const over = zipped > LIMITS.zippedBytes || unzipped > LIMITS.unzippedBytes;
      return { name, zippedBytes: zipped, unzippedBytes: unzipped, overLimit: over };
    })
    .sort((a, b) => b.zippedBytes - a.zippedBytes);
}

const size = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The report as a Markdown table. */
export function markdown(rows) {
  const lines = [
    '### Serverless bundle sizes',
    '',
    '| artifact | zipped | unzipped | within Lambda limits |',
    '|---|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${size(r.zippedBytes)} | ${size(r.unzippedBytes)} | ${r.overLimit ? '❌' : '✅'} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function main(argv) {
  const json = argv.includes('--json');
  const dir = argv.find((a) => !a.startsWith('--')) ?? '.serverless';
  const rows = measure(dir);
  if (rows.length === 0) {
    console.error(`bundle-size: no .zip artifacts in ${dir}; did npm run package write them elsewhere?`);
    return 1;
  }
  const text = markdown(rows);
  process.stdout.write(json ? `${JSON.stringify(rows, null, 2)}\n` : text);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, text);
  const over = rows.filter((r) => r.overLimit);
  for (const r of over) console.error(`bundle-size: ${r.name} exceeds AWS Lambda's package size limits`);
  return over.length > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
