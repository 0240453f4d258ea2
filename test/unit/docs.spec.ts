import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1])));
}

/** Relative links of a markdown file, outside code blocks: `[text](target)`. */
function linksOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t));
}

describe('documentation', () => {
  it('the README stays short: at most 300 lines', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(300);
  });

  it.each(documents)('every link in %s points at a file and heading that exist', (file) => {
    const broken: string[] = [];
    for (const link of linksOf(file)) {
      const [path, hash] = link.split('#');
      const target = path ? join(dirname(join(root, file)), path) : join(root, file);
      if (!existsSync(target)) {
        broken.push(`${link} (no file ${relative(root, target)})`);
        continue;
      }
      if (hash && target.endsWith('.md') && !anchorsOf(relative(root, target)).has(hash)) {
        broken.push(`${link} (no heading #${hash})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README links every document in docs/', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const missing = documents.filter((d) => d.startsWith('docs/') && !readme.includes(`(${d})`));
    expect(missing).toEqual([]);
  });
});
