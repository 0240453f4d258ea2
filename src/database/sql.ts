/**
 * Hand-written statements with named parameters.
 *
 * A statement is written once, as a template whose parameters are names (`${p.taskId}`), and
 * compiled once, when its module loads, to the text PostgreSQL receives: each name becomes `$n`
 * in the order of its first use, the same name the same `$n`. Its values are then given as an
 * object keyed by those names, checked by the compiler: a name the statement uses and the caller
 * does not give (or gives with the wrong type) does not compile. The text never depends on the
 * values, so a statement can be prepared by name and its text committed as a snapshot
 * (scripts/sql-snapshots.mjs, test/unit/sql-snapshots.spec.ts).
 *
 * Fragments (`sql`...``) compose: a CTE written once is spliced into several statements, each
 * numbering its parameters afresh. `raw` splices a constant (a status code, a column list).
 */
import { utils } from 'pg';
import { nameComment, nameStatementText } from './statement-names';

declare module 'pg' {
  /** Exported by `pg` (lib/utils.js), not described by @types/pg: how it turns a parameter's value into text. */
  export const utils: { prepareValue(value: unknown): string | Buffer | null | undefined };
}

/** A named parameter inside a template. */
class Param {
  constructor(readonly name: string) {}
}

type Part = string | Param;

/** A piece of SQL text with named parameters; spliced into others with `${fragment}`. */
export class SqlFragment {
  constructor(readonly parts: readonly Part[]) {}
}

/** What may stand in a template's `${...}`: a parameter, a fragment, or a constant (via `raw`). */
export type SqlValue = Param | SqlFragment;

/** A SQL fragment: `sql\`SELECT ... WHERE task_id = ${p.taskId}\``. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlFragment {
  const parts: Part[] = [];
  strings.forEach((s, i) => {
    parts.push(s);
    if (i >= values.length) return;
    const v = values[i];
    if (v instanceof SqlFragment) parts.push(...v.parts);
    else if (v instanceof Param) parts.push(v);
    // A plain string or number would be spliced as text without escaping: refuse it (use raw).
    else throw new TypeError(`sql: \`\${...}\` takes a parameter or a fragment, got ${typeof v}`);
  });
  return new SqlFragment(parts);
}

/** Trusted text (a constant of the code, never a value from outside) spliced as it is. */
export const raw = (text: string | number): SqlFragment => new SqlFragment([String(text)]);

/** Fragments joined with a separator. */
export const join = (fragments: readonly SqlFragment[], separator: string): SqlFragment =>
  new SqlFragment(fragments.flatMap((f, i) => (i ? [separator, ...f.parts] : f.parts)));

/** The parameters of a statement, by name. */
export type Params<P> = { readonly [K in keyof P]-?: Param };

function paramProxy<P>(): Params<P> {
  return new Proxy({} as Params<P>, {
    get: (_target, name) => {
      if (typeof name !== 'string') throw new TypeError('sql: parameter names are strings');
      return new Param(name);
    },
  });
}

/** Where a statement lives and how it is sent. */
export interface StatementOptions {
  /**
   * Prepared once per connection under the statement's name, then only bound and executed: for
   * hot statements whose parsing and planning cost more than running them.
   */
  prepared?: boolean;
}

/** A compiled statement: its text (with `$n`), the names in `$n` order, and how to bind values. */
export interface Statement<P> {
  readonly name: string;
  readonly text: string;
  /** Parameter names; `$1` is names[0]. */
  readonly names: ReadonlyArray<keyof P & string>;
  readonly prepared: boolean;
  /** The positional values for `text`, from values given by name. */
  values(args: P): unknown[];
  /** Runs it with its values given by name (prepared under its name when it says so). */
  run<R = Record<string, unknown>>(tx: Queryable, args: P): Promise<R[]>;
  /** The same as a `pg` query config, for a pool or client: `pool.query(st.config(args))`. */
  config(args: P): { name?: string; text: string; values: unknown[] };
  /**
   * The text with each value inlined as a literal, for SqlRunner.queryText (several statements in
   * one round trip). The values are written as `pg` would send them (its prepareValue), so the
   * statement reads the same as when run with parameters.
   */
  inline(args: P, literal: (value: string) => string): string;
}

/** Something that runs a statement (SqlRunner, a transaction's client). */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], name?: string): Promise<R[]>;
}

/** Every statement defined, by name: what the snapshots are made of. */
const registry = new Map<string, Statement<never>>();

/** The inline statements among them, by name (the EXPLAIN test renders them). */
const inlineRegistry = new Map<string, InlineStatement<never>>();

/** An inline statement defined so far, by name. */
export const definedInlineStatement = (name: string): InlineStatement<never> | undefined => inlineRegistry.get(name);

/** All statements defined so far (their modules loaded), in name order. */
export const definedStatements = (): Array<Statement<never>> =>
  [...registry.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/**
 * Defines a statement with named parameters. `P` lists the parameters and their types; `build`
 * writes the text with them (`p.name`). Names must be unique across the process: they name the
 * prepared statements and the snapshot entries.
 */
export function statement<P>(
  name: string,
  build: (p: Params<P>) => SqlFragment,
  options: StatementOptions = {},
): Statement<P> {
  const names: Array<keyof P & string> = [];
  // The text as pieces, each a string or the index of a value.
  const pieces = build(paramProxy<P>()).parts.map((part) => {
    if (typeof part === 'string') return part;
    let n = names.indexOf(part.name as keyof P & string);
    if (n < 0) n = names.push(part.name as keyof P & string) - 1;
    return n;
  });
  const text = pieces.map((piece) => (typeof piece === 'string' ? piece : `$${piece + 1}`)).join('');
  const compiled: Statement<P> = {
    name,
    text,
    names,
    prepared: options.prepared ?? false,
    values: (args) => names.map((n) => args[n]),
    run: (tx, args) => tx.query(text, compiled.values(args), compiled.prepared ? name : undefined),
    config: (args) => ({ ...(compiled.prepared ? { name } : {}), text, values: compiled.values(args) }),
    inline: (args, literal) => {
      const values = compiled.values(args);
      return (
        nameComment(name) +
        pieces.map((piece) => (typeof piece === 'string' ? piece : inlineValue(values[piece], literal))).join('')
      );
    },
  };
  const earlier = registry.get(name);
  if (earlier && earlier.text !== text) throw new Error(`sql: two different statements are named ${name}`);
  registry.set(name, compiled);
  nameStatementText(text, name);
  return compiled;
}

/** A value as a literal: what `pg` would send for it as a parameter, quoted (or NULL). */
function inlineValue(value: unknown, literal: (value: string) => string): string {
  const prepared = utils.prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  // A bytea value on its own (in an array, prepareValue writes it in hex itself).
  if (Buffer.isBuffer(prepared)) return literal(`\\x${prepared.toString('hex')}`);
  return literal(prepared);
}

/**
 * A statement whose values travel inlined as literals (sent with the simple protocol, several in
 * one round trip: see SqlRunner.queryText). Its values are text, lists of text (`a, b`) or lists
 * of text tuples (`(a, b), (c, d)`), each element quoted by `literal`.
 */
export interface InlineStatement<P> {
  readonly name: string;
  /** The text with `:name` in place of each value: for the snapshot. */
  readonly text: string;
  render(args: P, literal: (value: string) => string): string;
}

type Inlinable = string | readonly string[] | ReadonlyArray<readonly string[]>;

export function inlineStatement<P extends Record<keyof P, Inlinable>>(
  name: string,
  build: (p: Params<P>) => SqlFragment,
): InlineStatement<P> {
  const { parts } = build(paramProxy<P>());
  const text = parts.map((part) => (typeof part === 'string' ? part : `:${part.name}`)).join('');
  const inline = (value: Inlinable, literal: (value: string) => string): string =>
    typeof value === 'string'
      ? literal(value)
      : value.map((v) => (typeof v === 'string' ? literal(v) : `(${v.map(literal).join(', ')})`)).join(', ');
  const compiled: InlineStatement<P> = {
    name,
    text,
    render: (args, literal) =>
      nameComment(name) +
      parts.map((part) => (typeof part === 'string' ? part : inline(args[part.name as keyof P], literal))).join(''),
  };
  const earlier = registry.get(name);
  if (earlier && earlier.text !== text) throw new Error(`sql: two different statements are named ${name}`);
  registry.set(name, { name, text, names: [], prepared: false } as unknown as Statement<never>);
  inlineRegistry.set(name, compiled);
  return compiled;
}
