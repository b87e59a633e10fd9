import type { Kysely } from 'kysely';
import type { Database } from './schema';

/** One settings row as JSON text, written whole (insert or replace), inside the caller's transaction. */
export async function putSetting(trx: Kysely<Database>, key: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value);
  const at = new Date().toISOString();
  await trx
    .insertInto('settings')
    .values({ key, value: text, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: at }))
    .execute();
}
