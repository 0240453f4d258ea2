/**
 * What a database span says a query was, for the service's own statements: their names (the text
 * of each is in prisma/queries/<name>.sql), not their text. An inlined statement's text holds its
 * values (task ids, signatures), and a group-commit batch's statements are kilobytes of SQL that
 * every traced batch would otherwise carry to the collector (docs/performance.md).
 *
 * Kept apart from sql.ts, which loads `pg`: the tracing set-up (tracing.ts) reads it before `pg`
 * may be loaded.
 */

/** Parameterised statements' names, by text (sql.ts records each as it is defined). */
const byText = new Map<string, string>();
/** Texts being sent right now, with the names of what they hold (`announce`). */
const announced = new Map<string, string>();
let describing = false;

/** Records a statement's text (with `$n` parameters) under its name. */
export function nameStatementText(text: string, name: string): void {
  byText.set(text, name);
}

/** The comment an inlined statement starts with (Statement.inline, InlineStatement.render). */
export const nameComment = (name: string): string => `/* ${name} */ `;

const LEADING_NAME = /^\/\* [a-z0-9-]+ \*\//;

/** An inlined statement's leading comment, or the text itself when short (BEGIN, SAVEPOINT a). */
const nameOf = (statement: string): string =>
  LEADING_NAME.exec(statement)?.[0] ?? (statement.length <= 40 ? statement : '/* unnamed */');

/** Called by the tracing set-up: from then on `announce` records what it sends. */
export function describeStatements(): void {
  describing = true;
}

/**
 * Sends several statements as one text. `send` calls the driver, whose instrumentation asks
 * `describeStatement` synchronously, before the call returns.
 */
export function announce<T>(statements: readonly string[], text: string, send: () => T): T {
  if (!describing) return send();
  announced.set(text, statements.map(nameOf).join('; '));
  try {
    return send();
  } finally {
    announced.delete(text);
  }
}

/**
 * For the pg instrumentation's request hook: a SQL comment with the statement's name for one of
 * the service's statements; for several sent together, one such comment per statement (BEGIN and
 * the like as they are), separated by semicolons; undefined for any other query (Prisma's, whose
 * text holds no values).
 */
export function describeStatement(text: string): string | undefined {
  const name = byText.get(text);
  return name === undefined ? announced.get(text) : nameComment(name).trim();
}
