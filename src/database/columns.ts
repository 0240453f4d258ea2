import { raw, SqlFragment } from './sql';

/**
 * Column names of hand-written SQL, derived from the Prisma models' field names: every field of
 * the schema is mapped (@map) to its name in snake_case, so `columnOf<Drive>('queuedAt')` is
 * `queued_at`, and a field renamed in the schema no longer compiles here (its name is checked
 * against the generated model type). test/integration/sql-plans.spec.ts checks the convention against
 * the migrated database.
 */
export const columnOf = <M>(field: keyof M & string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `alias.column AS "field"` for each field: rows then come back with the model's field names. */
export const selectFields = <M>(alias: string, fields: ReadonlyArray<keyof M & string>): SqlFragment =>
  raw(fields.map((f) => `${alias}.${columnOf<M>(f)} AS "${f}"`).join(', '));
