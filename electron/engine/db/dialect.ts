import { PostgresAdapter, sql, type ColumnDataType, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';

/**
 * Where SQLite and PostgreSQL differ, and nowhere else. Migrations are written once and call these for
 * the few column types and constraints the two spell differently; services call them for the rare query
 * that is not portable as Kysely writes it.
 */
export type DialectName = 'sqlite' | 'postgres';

// Any Kysely instance or transaction: migrations see Kysely<any>, services Kysely<Database>.
type AnyDb = Pick<Kysely<any>, 'getExecutor'>;

export function dialectOf(db: AnyDb): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * A base-unit amount column: canonical decimal TEXT on SQLite (its INTEGER overflows at 9.22 units of an
 * 18-decimal token), NUMERIC(78,0) on PostgreSQL (2^256-1 has 78 digits). Both hand the engine a string.
 */
export function amountType(db: AnyDb): ColumnDataType | Expression<unknown> {
  return dialectOf(db) === 'postgres' ? sql`numeric(78, 0)` : 'text';
}

/** A column of raw bytes: BLOB on SQLite, BYTEA on PostgreSQL; both hand the engine a Buffer. */
export function bytesType(db: AnyDb): ColumnDataType {
  return dialectOf(db) === 'postgres' ? 'bytea' : 'blob';
}

/** A surrogate key the database numbers: INTEGER PRIMARY KEY AUTOINCREMENT, or an identity column. */
export function addSerialId<T extends { addColumn: (...args: any[]) => T }>(db: AnyDb, table: T, name = 'id'): T {
  return dialectOf(db) === 'postgres'
    ? table.addColumn(name, 'integer', (c: any) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn(name, 'integer', (c: any) => c.primaryKey().autoIncrement());
}

/**
 * Rows of `table` can never be updated or deleted, whatever the caller: the database itself refuses with
 * `<table> ... immutable` / `cannot be deleted`, so a bug or a hand-edit cannot rewrite a record.
 */
export async function makeAppendOnly(db: Kysely<any>, table: string, messages: { update: string; delete: string }): Promise<void> {
  const name = sql.raw(table);
  if (dialectOf(db) === 'postgres') {
    for (const [op, message] of [['update', messages.update], ['delete', messages.delete]] as const) {
      const fn = sql.raw(`${table}_refuse_${op}`);
      await sql`create function ${fn}() returns trigger language plpgsql as ${sql.lit(`begin raise exception '%', ${quote(message)}; end`)}`.execute(db);
      await sql`create trigger ${sql.raw(`${table}_${op === 'update' ? 'immutable' : 'undeletable'}`)} before ${sql.raw(op)} on ${name}
        for each row execute function ${fn}()`.execute(db);
    }
    return;
  }
  await sql`create trigger ${sql.raw(`${table}_immutable`)} before update on ${name}
    begin select raise(abort, ${sql.lit(messages.update)}); end`.execute(db);
  await sql`create trigger ${sql.raw(`${table}_undeletable`)} before delete on ${name}
    begin select raise(abort, ${sql.lit(messages.delete)}); end`.execute(db);
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Whether a table exists (an offline review's snapshot may hold only some of the live tables). */
export async function tableExists(db: Kysely<any>, name: string): Promise<boolean> {
  const found =
    dialectOf(db) === 'postgres'
      ? await sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = current_schema() and table_name = ${name}`.execute(db)
      : await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = ${name}`.execute(db);
  return Number(found.rows[0]?.n ?? 0) > 0;
}

/**
 * "Any of these columns contains `search`", ignoring case, with % _ and \ in the search taken literally.
 * SQLite's LIKE already ignores ASCII case but has no escape character unless told; PostgreSQL's needs ILIKE.
 */
export function containsText(db: AnyDb, columns: readonly string[], search: string) {
  const pattern = `%${search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  const op = sql.raw(dialectOf(db) === 'postgres' ? 'ilike' : 'like');
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> =>
    eb.or(columns.map((column) => sql<SqlBool>`${sql.ref(column)} ${op} ${pattern} escape '\\'`));
}
