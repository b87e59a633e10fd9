import { DomainError } from '@shared/result';
import type { PersonalDataMode, PersonalDataSource } from '../audit/bundle-format';
import { PERSONAL_FIELDS } from './client-service';
import type { ClientDataKeys } from './data-keys';
import type { KycFileStore } from './kyc-files';

/** Per table: the sealed columns, each with the field name it was sealed under, and the column naming the client. */
const SEALED_COLUMNS: Record<string, { client: string; columns: Record<string, string> }> = {
  clients: {
    client: 'id',
    columns: Object.fromEntries(PERSONAL_FIELDS.map((field) => [field, field])),
  },
  kyc_documents: { client: 'client_id', columns: { number: 'document_number' } },
  bank_accounts: { client: 'client_id', columns: { holder_name: 'bank_account.holder_name', identifier: 'bank_account.identifier', fields: 'bank_account.fields' } },
};

/** Stands for a value whose key was destroyed (the client was erased). */
const ERASED = '[erased]';
/** Stands for a sealed value when the seed is locked: no pseudonym can be computed without it. */
const SEALED = '[sealed]';

/**
 * How the clients area's sealed data goes into an audit bundle: by default each personal value becomes its keyed
 * pseudonym (the same keyed hash the audit records carry, so an auditor matches a record to its client without
 * reading either); in clear only when the exporter asks, which needs the open seed.
 */
export function personalDataForBundles(keys: ClientDataKeys, files: KycFileStore): PersonalDataSource {
  return {
    tables: new Set(Object.keys(SEALED_COLUMNS)),
    prepare(mode: PersonalDataMode) {
      if (mode === 'included' && !keys.available()) {
        throw new DomainError('locked', 'Personal data can be exported in clear only while the app is unlocked.');
      }
    },
    async row(table, row, mode) {
      const spec = SEALED_COLUMNS[table]!;
      const clientId = String(row[spec.client]);
      const open = keys.available();
      const key = open ? await keys.keyOf(clientId) : null;
      const out = { ...row };
      for (const [column, field] of Object.entries(spec.columns)) {
        const value = row[column];
        if (typeof value !== 'string') continue;
        if (!open) {
          out[column] = SEALED;
          continue;
        }
        const plain = keys.openText(key, clientId, field, value);
        out[column] = plain === null ? ERASED : mode === 'included' ? plain : keys.pseudonym(plain);
      }
      return out;
    },
    openScan: (scanSha256) => files.read(scanSha256),
  };
}
