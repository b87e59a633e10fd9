import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Kysely } from 'kysely';
import { API_SCOPES, type ApiKeySecret, type ApiKeyView, type ApiScope } from '@shared/domain/api-keys';
import { DomainError, type ErrorCode } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { ApiKeyRow, Database } from '../db/schema';
import { WriteBatch, type SharedWrites } from '../db/write-batch';
import { RateLimiter } from './rate-limiter';

/** What a key that passed authentication may do; only objects this service made are trusted by the guard. */
export interface ApiPrincipal {
  readonly keyId: string;
  readonly name: string;
  readonly scopes: readonly ApiScope[];
}

/** One call through the API door, as its audit record tells it. */
export interface ApiCall {
  method: string;
  route: string;
  ip: string;
  status: number;
  code?: string;
  replayed?: boolean;
}

export type Authentication =
  | { ok: true; principal: ApiPrincipal }
  | { ok: false; status: 401 | 403 | 429; code: ErrorCode; message: string; retryAfterSeconds?: number };

/** A secret says what it is (`trk_`) so a leaked one is recognised by scanners; 32 random bytes follow. */
const SECRET_PREFIX = 'trk_';
const SECRET_PATTERN = /^trk_[A-Za-z0-9_-]{43}$/;
/** Refusals of unknown keys are audited at most this often per calling address (a scanner cannot fill the log). */
const UNKNOWN_AUDIT_EVERY_MS = 60_000;
/** last_used_at is written at most this often per key: every call is in the audit log anyway. */
const LAST_USE_EVERY_MS = 5_000;

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Integration API keys: created by an admin, the secret shown once and kept as its SHA-256 (a 256-bit random
 * secret needs no slow hash), scoped, optionally bound to addresses, expiring, rotated with an overlap during
 * which the previous secret still works, rate-limited per key. Every refusal is audited.
 */
export class ApiKeyService {
  private readonly principals = new WeakSet<ApiPrincipal>();
  private readonly limiter: RateLimiter;
  private readonly unknownAudited = new Map<string, number>();
  private readonly lastUseWritten = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
    /** Concurrent calls' audit records and last-use updates share transactions (commits) through it. */
    private readonly writes: SharedWrites = new WriteBatch(db),
  ) {
    this.limiter = new RateLimiter(now);
  }

  /** True only for a principal this service handed out (a door cannot forge one). */
  isPrincipal(value: unknown): value is ApiPrincipal {
    return typeof value === 'object' && value !== null && this.principals.has(value as ApiPrincipal);
  }

  async list(): Promise<ApiKeyView[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute();
    return rows.map((row) => this.view(row));
  }

  async create(
    request: { name: string; scopes: ApiScope[]; ipAllowlist: string[]; rateLimitPerMinute: number; expiresInDays?: number },
    operator: string,
  ): Promise<ApiKeySecret> {
    const allowlist = checkedAllowlist(request.ipAllowlist);
    const clash = await this.db.selectFrom('api_keys').select('id').where('name', '=', request.name).where('revoked_at', 'is', null).executeTakeFirst();
    if (clash) throw new DomainError('conflict', `A key named "${request.name}" exists already; revoke it or choose another name.`);
    const secret = newSecret();
    const id = randomUUID();
    const createdAt = new Date(this.now()).toISOString();
    const expiresAt = request.expiresInDays ? new Date(this.now() + request.expiresInDays * 86_400_000).toISOString() : null;
    const scopes = API_SCOPES.filter((scope) => request.scopes.includes(scope));
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('api_keys')
        .values({
          id,
          name: request.name,
          prefix: secret.slice(0, 10),
          secret_hash: hashSecret(secret),
          previous_secret_hash: null,
          previous_valid_until: null,
          scopes: JSON.stringify(scopes),
          ip_allowlist: JSON.stringify(allowlist),
          rate_limit_per_minute: request.rateLimitPerMinute,
          expires_at: expiresAt,
          revoked_at: null,
          created_by: operator,
          created_at: createdAt,
          rotated_at: null,
          last_used_at: null,
          last_used_ip: null,
        })
        .execute();
      await this.audit.record(
        { operator, action: 'api_key.created', entity: { type: 'api_key', id }, change: { name: request.name, scopes, ipAllowlist: allowlist, rateLimitPerMinute: request.rateLimitPerMinute, expiresAt } },
        trx,
      );
    });
    return { key: this.view(await this.row(id)), secret };
  }

  async rotate(keyId: string, overlapHours: number, operator: string): Promise<ApiKeySecret> {
    const row = await this.row(keyId);
    if (row.revoked_at) throw new DomainError('conflict', `The key "${row.name}" is revoked; create a new one.`);
    const secret = newSecret();
    const at = new Date(this.now()).toISOString();
    const validUntil = overlapHours > 0 ? new Date(this.now() + overlapHours * 3_600_000).toISOString() : null;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('api_keys')
        .set({
          prefix: secret.slice(0, 10),
          secret_hash: hashSecret(secret),
          previous_secret_hash: validUntil ? row.secret_hash : null,
          previous_valid_until: validUntil,
          rotated_at: at,
        })
        .where('id', '=', keyId)
        .execute();
      await this.audit.record({ operator, action: 'api_key.rotated', entity: { type: 'api_key', id: keyId }, change: { name: row.name, previousValidUntil: validUntil } }, trx);
    });
    return { key: this.view(await this.row(keyId)), secret };
  }

  async update(request: { keyId: string; scopes?: ApiScope[]; ipAllowlist?: string[]; rateLimitPerMinute?: number }, operator: string): Promise<ApiKeyView> {
    const row = await this.row(request.keyId);
    const set: Partial<Pick<ApiKeyRow, 'scopes' | 'ip_allowlist' | 'rate_limit_per_minute'>> = {};
    if (request.scopes) set.scopes = JSON.stringify(API_SCOPES.filter((scope) => request.scopes!.includes(scope)));
    if (request.ipAllowlist) set.ip_allowlist = JSON.stringify(checkedAllowlist(request.ipAllowlist));
    if (request.rateLimitPerMinute) set.rate_limit_per_minute = request.rateLimitPerMinute;
    if (Object.keys(set).length === 0) return this.view(row);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('api_keys').set(set).where('id', '=', row.id).execute();
      await this.audit.record({ operator, action: 'api_key.updated', entity: { type: 'api_key', id: row.id }, change: { name: row.name, ...set } }, trx);
    });
    return this.view(await this.row(row.id));
  }

  async revoke(keyId: string, operator: string): Promise<ApiKeyView> {
    const row = await this.row(keyId);
    if (row.revoked_at) return this.view(row);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('api_keys').set({ revoked_at: new Date(this.now()).toISOString() }).where('id', '=', keyId).execute();
      await this.audit.record({ operator, action: 'api_key.revoked', entity: { type: 'api_key', id: keyId }, change: { name: row.name } }, trx);
    });
    return this.view(await this.row(keyId));
  }

  /**
   * The door's first step on every call: the presented secret (header `x-api-key`), the caller's address.
   * Checks the key exists and is neither revoked nor expired, the address is allowed, the rate limit; audits
   * every refusal with the key it named (if any).
   */
  async authenticate(secret: string | undefined, ip: string, route: string): Promise<Authentication> {
    if (!secret) return this.refuseUnknown(ip, route, 'No API key: send it in the x-api-key header.');
    if (!SECRET_PATTERN.test(secret)) return this.refuseUnknown(ip, route, 'This is not a valid API key.');
    const hash = hashSecret(secret);
    const row =
      (await this.db.selectFrom('api_keys').selectAll().where('secret_hash', '=', hash).executeTakeFirst()) ??
      (await this.db.selectFrom('api_keys').selectAll().where('previous_secret_hash', '=', hash).executeTakeFirst());
    if (!row) return this.refuseUnknown(ip, route, 'This is not a valid API key.');
    const nowIso = new Date(this.now()).toISOString();
    const current = safeEqual(row.secret_hash, hash);
    if (row.revoked_at) return this.refuse(row, ip, route, 401, 'unauthenticated', `This API key was revoked on ${row.revoked_at}.`);
    if (row.expires_at && row.expires_at <= nowIso) return this.refuse(row, ip, route, 401, 'unauthenticated', `This API key expired on ${row.expires_at}.`);
    if (!current && (!row.previous_valid_until || row.previous_valid_until <= nowIso)) {
      return this.refuse(row, ip, route, 401, 'unauthenticated', 'This API key was rotated and its overlap has ended: use the new secret.');
    }
    if (!ipAllowed(JSON.parse(row.ip_allowlist) as string[], ip)) {
      return this.refuse(row, ip, route, 403, 'forbidden', `Calls with this API key are not allowed from ${ip}.`);
    }
    const wait = this.limiter.take(row.id, row.rate_limit_per_minute);
    if (wait > 0) {
      // Audited once per wait, not per refused call: a client hammering past its limit cannot fill the log.
      if (this.limiter.take(`audit:${row.id}`, 1) === 0) {
        await this.audit.record({ operator: `api:${row.name}`, action: 'api.rate_limited', entity: { type: 'api_key', id: row.id }, change: { ip, route, limitPerMinute: row.rate_limit_per_minute } });
      }
      return { ok: false, status: 429, code: 'limit_exceeded', message: `Rate limit of ${row.rate_limit_per_minute} calls a minute exceeded; retry after ${wait} s.`, retryAfterSeconds: wait };
    }
    const lastWritten = this.lastUseWritten.get(row.id) ?? -Infinity;
    if (this.now() - lastWritten >= LAST_USE_EVERY_MS) {
      this.lastUseWritten.set(row.id, this.now());
      await this.writes.submit((ex) => ex.updateTable('api_keys').set({ last_used_at: nowIso, last_used_ip: ip }).where('id', '=', row.id).execute());
    }
    const principal: ApiPrincipal = Object.freeze({ keyId: row.id, name: row.name, scopes: JSON.parse(row.scopes) as ApiScope[] });
    this.principals.add(principal);
    return { ok: true, principal };
  }

  /**
   * Every call that passed authentication, with its key, route and outcome. Resolves once the record committed
   * (in a transaction shared with concurrent calls' records): the door answers only after it. Given a
   * transaction (`ex`), the record is written in it instead, to commit with what else it holds.
   */
  async recordCall(principal: ApiPrincipal, call: ApiCall, ex?: Kysely<Database>): Promise<void> {
    const entry = {
      operator: `api:${principal.name}`,
      action: 'api.call',
      entity: { type: 'api_key', id: principal.keyId },
      change: { method: call.method, route: call.route, ip: call.ip, status: call.status, ...(call.code ? { code: call.code } : {}), ...(call.replayed ? { replayed: true } : {}) },
    };
    if (ex) await this.audit.record(entry, ex);
    else await this.writes.submit((batched) => this.audit.record(entry, batched));
  }

  private async refuse(row: ApiKeyRow, ip: string, route: string, status: 401 | 403, code: 'unauthenticated' | 'forbidden', message: string): Promise<Authentication> {
    await this.audit.record({ operator: `api:${row.name}`, action: 'api.refused', entity: { type: 'api_key', id: row.id }, change: { ip, route, code, reason: message } });
    return { ok: false, status, code, message };
  }

  private async refuseUnknown(ip: string, route: string, message: string): Promise<Authentication> {
    const last = this.unknownAudited.get(ip) ?? -Infinity;
    if (this.now() - last >= UNKNOWN_AUDIT_EVERY_MS) {
      this.unknownAudited.set(ip, this.now());
      await this.audit.record({ operator: 'anonymous', action: 'api.refused', entity: { type: 'api_key', id: 'unknown' }, change: { ip, route, code: 'unauthenticated', reason: message } });
    }
    return { ok: false, status: 401, code: 'unauthenticated', message };
  }

  private async row(keyId: string): Promise<ApiKeyRow> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'No such API key.');
    return row;
  }

  private view(row: ApiKeyRow): ApiKeyView {
    const now = new Date(this.now()).toISOString();
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      scopes: JSON.parse(row.scopes) as ApiScope[],
      ipAllowlist: JSON.parse(row.ip_allowlist) as string[],
      rateLimitPerMinute: row.rate_limit_per_minute,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      previousValidUntil: row.previous_valid_until && row.previous_valid_until > now ? row.previous_valid_until : null,
      createdBy: row.created_by,
      createdAt: row.created_at,
      rotatedAt: row.rotated_at,
      lastUsedAt: row.last_used_at,
      lastUsedIp: row.last_used_ip,
      state: row.revoked_at ? 'revoked' : row.expires_at && row.expires_at <= now ? 'expired' : 'active',
    };
  }
}

function newSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The allowlist as stored: each entry parsed by node's own address rules, so the check later cannot throw. */
function checkedAllowlist(entries: string[]): string[] {
  for (const entry of entries) {
    try {
      toBlockList([entry]);
    } catch {
      throw new DomainError('validation', `"${entry}" is not an IP address or CIDR range.`, { issues: [{ path: 'ipAllowlist', message: 'Not an IP address or CIDR range.' }] });
    }
  }
  return [...new Set(entries)];
}

function toBlockList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(address) === 0) throw new Error('not an address');
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

/** An empty allowlist allows any address; an IPv4 caller seen as ::ffff:a.b.c.d is checked as a.b.c.d. */
function ipAllowed(allowlist: string[], ip: string): boolean {
  if (allowlist.length === 0) return true;
  const address = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const family = isIP(address);
  if (family === 0) return false;
  return toBlockList(allowlist).check(address, family === 6 ? 'ipv6' : 'ipv4');
}
