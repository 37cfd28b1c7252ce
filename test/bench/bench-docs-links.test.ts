import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// bench/README.md links into bench/history/*.md and back, by file and by heading; a heading that is
// renamed or a section that moves must not leave a dead link behind.
const ROOT = join(__dirname, '../..');
const HISTORY = join(ROOT, 'bench/history');
const DOCS = [
  join(ROOT, 'bench/README.md'),
  ...readdirSync(HISTORY)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(HISTORY, f)),
];

/** The text outside fenced code blocks and HTML comments (links and headings there do not count). */
function proseLines(markdown: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of markdown.replace(/<!--[\s\S]*?-->/g, '').split('\n')) {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) out.push(line);
  }
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped except `-` and `_`, spaces to `-`. */
function slugOf(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}_ -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor of a Markdown file; a repeated heading gets `-1`, `-2`, … as on GitHub. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(readFileSync(file, 'utf8'))) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m?.[1]) continue;
    const slug = slugOf(m[1]);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Relative link targets of a file's prose (inline code and external URLs left out). */
function linksOf(file: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(readFileSync(file, 'utf8'))) {
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1];
      if (target && !/^[a-z][a-z0-9+.-]*:/i.test(target)) targets.push(target);
    }
  }
  return targets;
}

function deadLinks(file: string): string[] {
  const dead: string[] = [];
  for (const target of linksOf(file)) {
    const hash = target.indexOf('#');
    const path = hash === -1 ? target : target.slice(0, hash);
    const anchor = hash === -1 ? '' : decodeURIComponent(target.slice(hash + 1));
    const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    const where = `${relative(ROOT, file)}: ${target}`;
    if (!existsSync(resolved)) dead.push(`${where} (no such file)`);
    else if (anchor !== '' && !(resolved.endsWith('.md') && anchorsOf(resolved).has(anchor)))
      dead.push(`${where} (no such heading)`);
  }
  return dead;
}

describe('bench docs: relative links and anchors', () => {
  it('makes anchors as GitHub does', () => {
    expect(slugOf('A year × 5 markets (peak RSS)')).toBe('a-year--5-markets-peak-rss');
    expect(slugOf('market_making and all: the quote layers (second pass)')).toBe(
      'market_making-and-all-the-quote-layers-second-pass',
    );
    expect(slugOf('Status at a glance')).toBe('status-at-a-glance');
    expect(slugOf("Issue 16's table, then and `now`")).toBe('issue-16s-table-then-and-now');
  });

  it('finds the README and the history files, and links between them', () => {
    expect(DOCS.length).toBeGreaterThan(1);
    expect(linksOf(join(ROOT, 'bench/README.md')).some((t) => t.startsWith('history/'))).toBe(true);
  });

  it.each(DOCS.map((f) => [relative(ROOT, f), f]))(
    'every relative link and #anchor in %s resolves',
    (_, file) => {
      expect(deadLinks(file)).toEqual([]);
    },
  );
});
