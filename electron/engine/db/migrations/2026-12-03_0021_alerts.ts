import { sql, type Kysely } from 'kysely';

// Frozen in time. One table for every alert (chain or not): a stable kind, the subject that identifies its
// cause (a chain, a sweep, a deposit), how often the cause was seen while the alert stood, when the cause went
// away, and who acknowledged it when. While an alert of a kind and subject stands (not resolved), a repeat of
// its cause counts on it instead of adding another. The rows of chain_alerts move over, each its own subject.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('chain', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'acknowledged')`))
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_raised_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'text')
    .execute();
  await sql`create unique index alerts_standing on alerts (profile, kind, subject) where resolved_at is null`.execute(db);
  await db.schema.createIndex('alerts_by_state').on('alerts').columns(['profile', 'state', 'last_raised_at']).execute();
  await sql`insert into alerts (id, profile, kind, chain, subject, message, details, state, count, created_at, last_raised_at)
    select id, profile, kind, chain, id, message, details, 'open', 1, created_at, created_at from chain_alerts`.execute(db);
  await db.schema.dropTable('chain_alerts').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chain_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into chain_alerts (id, profile, chain, kind, message, details, created_at)
    select id, profile, chain, kind, message, details, created_at from alerts where chain is not null`.execute(db);
  await db.schema.dropTable('alerts').execute();
}
