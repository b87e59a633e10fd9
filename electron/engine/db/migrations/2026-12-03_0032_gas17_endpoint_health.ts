import type { Kysely } from 'kysely';

// Frozen in time. Each chain endpoint's health as last found (endpoint-pool.ts), written when its state changes,
// read at start: a restart shows the last known state and keeps a failing endpoint resting until its cool-down ends.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('endpoint_health')
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('last_ok_at', 'text')
    .addColumn('last_fault', 'text')
    .addColumn('last_fault_at', 'text')
    .addColumn('fault_detail', 'text')
    .addColumn('head', 'text')
    .addColumn('head_at', 'text')
    .addColumn('behind_by', 'integer')
    .addColumn('latency_ms', 'integer')
    .addColumn('rest_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('endpoint_health_pk', ['chain', 'url'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('endpoint_health').execute();
}
