import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { renderSqlSnapshots, SNAPSHOT_DIR } from '../../src/database/sql-snapshots';
import { definedStatements, raw, sql, statement } from '../../src/database/sql';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the .sql snapshots of the hand-written statements', () => {
  it('are what the statements are now (else: npm run sql:snapshots, and review the diff)', () => {
    const wanted = renderSqlSnapshots();
    const dir = join(ROOT, SNAPSHOT_DIR);
    const present = readdirSync(dir).filter((f) => f.endsWith('.sql'));
    expect(present.sort()).toEqual([...wanted.keys()].sort());
    for (const [file, text] of wanted)
      expect({ file, text: readFileSync(join(dir, file), 'utf8') }).toEqual({ file, text });
  });

  it('cover every module that defines statements', () => {
    const snapshots = readFileSync(join(SRC, 'database', 'sql-snapshots.ts'), 'utf8');
    const imported = new Set(
      [...snapshots.matchAll(/^import '(\.{1,2}\/[^']+)';$/gm)].map((m) =>
        relative(SRC, resolve(SRC, 'database', m[1])),
      ),
    );
    const defining = sourceFiles(SRC)
      .filter((f) => !f.endsWith(join('database', 'sql.ts')))
      .filter((f) => /\b(?:inlineStatement|statement)(?:<[^(]*>)?\(\s*['`]/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f).replace(/\.ts$/, ''));
    expect(defining.length).toBeGreaterThan(5);
    expect(defining.filter((f) => !imported.has(f))).toEqual([]);
  });

  it('leave no hand-numbered $n parameter in the SQL of src/', () => {
    // A `$3` inside a template literal or string that reaches a query; the statements number their own.
    const numbered = sourceFiles(SRC)
      .filter((f) => !f.includes(`${join('src', 'generated')}`))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ at: `${relative(ROOT, f)}:${i + 1}`, line }))
          .filter(
            ({ line }) => /(?:[=(,]\s*|\b(?:LIMIT|OFFSET)\s+)\$\d+\b/i.test(line) && !line.trim().startsWith('*'),
          ),
      )
      .map(({ at }) => at);
    expect(numbered).toEqual([]);
  });

  it('number named parameters in order of first use, the same name the same number', () => {
    const s = statement<{ a: string; b: number }>(
      'test-numbering',
      (p) => sql`SELECT ${p.b}::int WHERE x = ${p.a} AND y = ${p.b} AND z = ${raw(4)}`,
    );
    expect(s.text).toBe('SELECT $1::int WHERE x = $2 AND y = $1 AND z = 4');
    expect(s.values({ a: 'A', b: 2 })).toEqual([2, 'A']);
    expect(definedStatements().some((d) => d.name === 'test-numbering')).toBe(true);
  });

  it('refuse a plain value spliced into the text (only parameters, fragments and raw constants)', () => {
    const evil = "x'; DROP TABLE task; --" as unknown as ReturnType<typeof raw>;
    expect(() => sql`SELECT ${evil}`).toThrow(TypeError);
  });
});
