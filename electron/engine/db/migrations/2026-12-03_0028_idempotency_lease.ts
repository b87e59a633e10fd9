import type { Kysely } from 'kysely';

// Frozen in time. A running idempotency record holds a lease its process renews while the request runs and
// an attempt count: a record whose lease ran out was cut short by a crash, and a repeat takes it over.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('idempotency_records').addColumn('lease_until', 'text').execute();
  await db.schema.alterTable('idempotency_records').addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('idempotency_records').dropColumn('attempt').execute();
  await db.schema.alterTable('idempotency_records').dropColumn('lease_until').execute();
}
