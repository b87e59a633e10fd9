import type { Kysely } from 'kysely';

// Frozen in time. A sweep is of deposits (to the holding wallet) or a gas return (the gas tank's change at a deposit
// address, sent back to the tank); both share the persisted state machine, its nonces and its reorg handling.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sweeps').addColumn('kind', 'text', (c) => c.notNull().defaultTo('deposits')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sweeps').dropColumn('kind').execute();
}
