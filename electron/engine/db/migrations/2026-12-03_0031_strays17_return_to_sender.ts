import type { Kysely } from 'kysely';

// Frozen in time. Unidentified funds sent back to their sender: the address proposed, the transaction's own
// sender read when the stray was seen (the prefill), and the sweep row that carries the return (its gas,
// signed bytes and receipt follow the sweep machine). A sweep with stray_id set pays the sender, not holding.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('unidentified_funds').addColumn('return_to', 'text').execute();
  await db.schema.alterTable('unidentified_funds').addColumn('tx_sender', 'text').execute();
  await db.schema.alterTable('unidentified_funds').addColumn('sweep_id', 'text').execute();
  await db.schema.alterTable('sweeps').addColumn('stray_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sweeps').dropColumn('stray_id').execute();
  for (const column of ['sweep_id', 'tx_sender', 'return_to']) await db.schema.alterTable('unidentified_funds').dropColumn(column).execute();
}
