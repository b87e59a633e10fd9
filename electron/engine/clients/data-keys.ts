import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '@shared/result';
import type { Database } from '../db/schema';

type Db = Kysely<Database>;

/**
 * The seed-derived secret (custody `seedSecret`) every client key is wrapped by: the recovery words bring it back,
 * a stolen database file or data folder alone does not.
 */
export const CLIENT_DATA_LABEL = 'treasury client data v1';

const TEXT_PREFIX = 'sealed:v1:';
/** "TKYC" and a version byte: the first bytes of a sealed KYC file (also what the database triggers test). */
export const SEALED_FILE_MAGIC = Buffer.from('544b594301', 'hex');

export function isSealedText(value: string | null): boolean {
  return value !== null && value.startsWith(TEXT_PREFIX);
}

export function isSealedFile(content: Buffer): boolean {
  return content.length > SEALED_FILE_MAGIC.length && content.subarray(0, SEALED_FILE_MAGIC.length).equals(SEALED_FILE_MAGIC);
}

/** What the search index keeps per client: kinds of exact-match keys. */
export type SearchKind = 'email' | 'tax_id' | 'document' | 'name';

/** Lower-case ASCII words without accents, 2 letters or more: "García-Pérez, Juan" gives garcia, perez, juan. */
export function nameTokens(text: string): string[] {
  const plain = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return [...new Set(plain.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length >= 2))];
}

/** Identifiers compared without spaces, dashes or dots, upper case: "20-12345678-6" and "20123456786" match. */
export function compactIdentifier(text: string): string {
  return text.replace(/[\s.\-/]/g, '').toUpperCase();
}

/**
 * Per-client data keys (AES-256-GCM), each wrapped under a key derived from the workspace's client-data secret,
 * so erasing a client is destroying one wrapped key (crypto-shredding). Sealed text carries the client and field
 * as associated data, so a value moved to another client or field fails to open. Search goes through keyed
 * hashes (HMAC-SHA256 under a second derived key) of normalized values: exact matches only, nothing readable.
 */
export class ClientDataKeys {
  constructor(
    private readonly db: Db,
    /** The workspace's client-data secret; throws `locked` while the seed is closed. */
    private readonly secret: () => Buffer,
  ) {}

  /** Whether the seed is open, so data can be sealed and opened. */
  available(): boolean {
    try {
      this.secret().fill(0);
      return true;
    } catch {
      return false;
    }
  }

  /** The client's key; null when it has none yet (rows from before sealing) or it was erased. */
  async keyOf(clientId: string, ex: Db = this.db): Promise<Buffer | null> {
    const row = await ex.selectFrom('client_keys').select('wrapped').where('client_id', '=', clientId).executeTakeFirst();
    return row?.wrapped ? this.unwrap(clientId, row.wrapped) : null;
  }

  /** The client's key, made and stored on first use; refused once the client is erased. */
  async ensureKey(ex: Db, clientId: string): Promise<Buffer> {
    const row = await ex.selectFrom('client_keys').select('wrapped').where('client_id', '=', clientId).executeTakeFirst();
    if (row && row.wrapped === null) throw new DomainError('conflict', "This client's personal data was erased.", { clientId });
    if (row) return this.unwrap(clientId, row.wrapped!);
    const key = randomBytes(32);
    await ex.insertInto('client_keys').values({ client_id: clientId, wrapped: this.wrap(clientId, key), created_at: new Date().toISOString(), erased_at: null }).onConflict((oc) => oc.column('client_id').doNothing()).execute();
    // Another writer may have made it first: the stored key is the one.
    return (await this.keyOf(clientId, ex))!;
  }

  /** Crypto-shredding: the wrapped key is destroyed and the client's search hashes with it. */
  async erase(clientId: string, trx: Db, at: string): Promise<void> {
    await trx.updateTable('client_keys').set({ wrapped: null, erased_at: at }).where('client_id', '=', clientId).execute();
    await trx.deleteFrom('client_search').where('client_id', '=', clientId).execute();
    await trx.deleteFrom('kyc_file_keys').where('client_id', '=', clientId).execute();
  }

  sealText(key: Buffer, clientId: string, field: string, value: string): string;
  sealText(key: Buffer, clientId: string, field: string, value: string | null): string | null;
  sealText(key: Buffer, clientId: string, field: string, value: string | null): string | null {
    if (value === null || isSealedText(value)) return value;
    return TEXT_PREFIX + encrypt(key, Buffer.from(value, 'utf8'), aad('field', clientId, field)).toString('base64');
  }

  /** Plaintext from before sealing passes as it is; a sealed value without its key (erased) reads as null. */
  openText(key: Buffer | null, clientId: string, field: string, value: string | null): string | null {
    if (value === null || !isSealedText(value)) return value;
    if (!key) return null;
    return decrypt(key, Buffer.from(value.slice(TEXT_PREFIX.length), 'base64'), aad('field', clientId, field)).toString('utf8');
  }

  sealFile(key: Buffer, sha256: string, content: Buffer): Buffer {
    return Buffer.concat([SEALED_FILE_MAGIC, encrypt(key, content, aad('kyc', sha256))]);
  }

  openFile(key: Buffer, sha256: string, sealed: Buffer): Buffer {
    if (!isSealedFile(sealed)) return sealed;
    return decrypt(key, sealed.subarray(SEALED_FILE_MAGIC.length), aad('kyc', sha256));
  }

  /** The keyed hash of a normalized value; the same value of the same kind always gives the same hash. */
  searchHash(kind: SearchKind | 'tax_id_unique' | 'bank_account' | 'audit', value: string): string {
    const key = this.derived('search');
    try {
      return createHmac('sha256', key).update(`${kind}\0${value}`).digest('hex');
    } finally {
      key.fill(0);
    }
  }

  /** The keyed hash an audit record carries instead of a personal value (a pseudonym an auditor can match). */
  pseudonym(value: string): string {
    return `keyed:${this.searchHash('audit', value)}`;
  }

  /** Replaces the client's search hashes of these kinds (in the caller's transaction). */
  async index(trx: Db, clientId: string, entries: Array<{ kind: SearchKind; value: string }>, replace = true): Promise<void> {
    const kinds = [...new Set(entries.map((e) => e.kind))];
    if (replace && kinds.length > 0) await trx.deleteFrom('client_search').where('client_id', '=', clientId).where('kind', 'in', kinds).execute();
    const rows = [...new Map(entries.map((e) => { const hash = this.searchHash(e.kind, e.value); return [`${e.kind}:${hash}`, { client_id: clientId, kind: e.kind, hash }]; })).values()];
    if (rows.length > 0) await trx.insertInto('client_search').values(rows).onConflict((oc) => oc.doNothing()).execute();
  }

  private wrap(clientId: string, key: Buffer): string {
    const wrapping = this.derived('wrap');
    try {
      return encrypt(wrapping, key, aad('client-key', clientId)).toString('base64');
    } finally {
      wrapping.fill(0);
    }
  }

  private unwrap(clientId: string, wrapped: string): Buffer {
    const wrapping = this.derived('wrap');
    try {
      return decrypt(wrapping, Buffer.from(wrapped, 'base64'), aad('client-key', clientId));
    } catch {
      throw new DomainError('internal', "This client's data key does not open under this workspace's seed.", { clientId });
    } finally {
      wrapping.fill(0);
    }
  }

  private derived(purpose: 'wrap' | 'search'): Buffer {
    const secret = this.secret();
    try {
      return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), Buffer.from(`treasury client data ${purpose} v1`), 32));
    } finally {
      secret.fill(0);
    }
  }
}

function aad(...parts: string[]): Buffer {
  return Buffer.from(parts.join('\0'), 'utf8');
}

/** iv (12) | tag (16) | ciphertext */
function encrypt(key: Buffer, plaintext: Buffer, associated: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associated);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function decrypt(key: Buffer, sealed: Buffer, associated: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(associated);
  decipher.setAuthTag(sealed.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
  } catch {
    throw new DomainError('internal', 'A sealed client value was altered or belongs elsewhere.');
  }
}
