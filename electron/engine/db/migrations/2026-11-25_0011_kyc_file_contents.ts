import type { Kysely } from 'kysely';
import { bytesType, makeAppendOnly } from '../dialect';

// Frozen in time. On a database several workstations share, a KYC scan uploaded at one must be readable at the
// others (and by the watcher's auditors): its bytes are kept in the database too, next to its recorded hash.
// A single workstation keeps them only in its data folder, as before, and leaves this table empty.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('kyc_file_contents')
    .addColumn('sha256', 'text', (c) => c.primaryKey().references('kyc_files.sha256'))
    .addColumn('content', bytesType(db), (c) => c.notNull())
    .execute();
  await makeAppendOnly(db, 'kyc_file_contents', { update: 'kyc_file_contents rows are immutable', delete: 'kyc_file_contents rows cannot be deleted' });
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kyc_file_contents').execute();
}
