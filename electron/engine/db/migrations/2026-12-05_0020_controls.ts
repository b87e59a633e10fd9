import { sql, type Kysely } from 'kysely';

// Frozen in time. Four eyes need to know who made each item: who submitted a client's KYC for review
// (filled from the audit log for files already submitted), and for the address book, who approved a
// whitelisting and from when the destination may be used (the time lock). Whitelisted entries from before
// have no approval: they wait for a second officer like a new one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('clients').addColumn('kyc_submitted_by', 'text').execute();
  await sql`update clients set kyc_submitted_by = (
      select a.operator from audit_log a
      where a.entity_type = 'client' and a.entity_id = clients.id and a.action = 'kyc.submitted'
      order by a.seq desc limit 1)
    where kyc_status = 'submitted'`.execute(db);
  await db.schema.alterTable('withdrawal_address_book').addColumn('approved_by', 'text').execute();
  await db.schema.alterTable('withdrawal_address_book').addColumn('approved_at', 'text').execute();
  await db.schema.alterTable('withdrawal_address_book').addColumn('usable_from', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['usable_from', 'approved_at', 'approved_by']) await db.schema.alterTable('withdrawal_address_book').dropColumn(column).execute();
  await db.schema.alterTable('clients').dropColumn('kyc_submitted_by').execute();
}
