import type { Kysely } from 'kysely';

// Frozen in time. Policy and role changes become proposals a different admin approves (or rejects) before
// they apply; approvals of any item (withdrawal, whitelisting, company credit, on-ramp credit, proposal) are
// rows of their own, one per approver, so an item can need n distinct approvers other than its maker.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('policy_proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .execute();
  await db.schema.createIndex('policy_proposals_state').on('policy_proposals').columns(['state', 'proposed_at']).execute();
  await db.schema
    .createTable('item_approvals')
    .addColumn('item_type', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('operator', 'text', (c) => c.notNull())
    .addColumn('approved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_approvals_pk', ['item_type', 'item_id', 'operator'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('item_approvals').execute();
  await db.schema.dropTable('policy_proposals').execute();
}
