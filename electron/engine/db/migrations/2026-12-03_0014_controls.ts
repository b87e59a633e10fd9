import { sql, type Kysely } from 'kysely';
import { amountType } from '../dialect';

// Frozen in time. Four eyes need to know who made each item: who submitted a client's KYC for review
// (filled from the audit log for files already submitted), and for the address book, who approved a
// whitelisting and from when the destination may be used (the time lock). Whitelisted entries from before
// have no approval: they wait for a second officer like a new one. A company credit (always uncovered: it
// raises what the company owes beyond its reserves) is a request until a second operator approves and books it.
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
  await db.schema
    .createTable('company_credits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('wallet_id', 'text', (c) => c.notNull().references('wallets.id'))
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('amount', amountType(db), (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('transfer_id', 'integer', (c) => c.references('ledger_transfers.id'))
    .execute();
  await db.schema.createIndex('company_credits_state').on('company_credits').columns(['state', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('company_credits').execute();
  for (const column of ['usable_from', 'approved_at', 'approved_by']) await db.schema.alterTable('withdrawal_address_book').dropColumn(column).execute();
  await db.schema.alterTable('clients').dropColumn('kyc_submitted_by').execute();
}
