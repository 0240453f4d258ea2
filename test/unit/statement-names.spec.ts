import { announce, describeStatement, describeStatements, nameStatementText } from '../../src/database/statement-names';

// What a database span says a query was (the pg instrumentation's request hook asks, tracing.ts).
describe('statement names for the traces', () => {
  it('names a defined statement by its text, and leaves any other query alone', () => {
    nameStatementText('SELECT $1::int AS n', 'test-one');
    expect(describeStatement('SELECT $1::int AS n')).toBe('/* test-one */');
    expect(describeStatement('SELECT "public"."task"."task_id" FROM "public"."task"')).toBeUndefined();
  });

  it('names the statements sent together, only while they are being sent, and only once tracing asked', () => {
    const statements = ['BEGIN', "/* test-lock */ SELECT 1 FROM task WHERE task_id = 'secret-ish'", 'SELECT 2'];
    const text = statements.join('; ');
    expect(announce(statements, text, () => describeStatement(text))).toBeUndefined();
    describeStatements();
    expect(announce(statements, text, () => describeStatement(text))).toBe('BEGIN; /* test-lock */; SELECT 2');
    expect(describeStatement(text)).toBeUndefined();
    const long = `SELECT ${'x, '.repeat(30)}1`;
    expect(announce([long], long, () => describeStatement(long))).toBe('/* unnamed */');
  });
});
