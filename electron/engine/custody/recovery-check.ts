import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { RecoveryStatus } from '@shared/domain/workspaces';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../db/schema';
import type { OperatorService } from '../operators/operator-service';
import type { OperatorSession } from '../operators/session-store';

const KEY = 'recovery_words';
const WORD_COUNT = 24;
const CHECKED_WORDS = 3;

const storedSchema = z.object({
  confirmedAt: z.string().nullable(),
  confirmedBy: z.string().nullable(),
  confirmedHow: z.enum(['word_check', 'restored']).nullable(),
  challenge: z.array(z.number().int()),
});
type Stored = z.infer<typeof storedSchema>;

/**
 * The recovery words at first start: shown once (the passphrase asked again), then three of them, at
 * positions picked at random, typed back. Only when they match is the copy on paper taken as good; the
 * check is audited, a restore from the words counts as one, and Settings shows when it last happened.
 * What the three words should be is kept in memory only, as salted hashes, between showing and checking.
 */
export class RecoveryCheck {
  private expected: { salt: Buffer; hashes: Map<number, Buffer> } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly operators: OperatorService,
    private readonly audit: AuditLog,
  ) {}

  async status(): Promise<RecoveryStatus> {
    const stored = await this.stateWithChallenge();
    return { ...stored, challenge: stored.confirmedAt ? [] : stored.challenge, wordCount: WORD_COUNT };
  }

  /** The words, numbered by their order; refused once they were confirmed (the encrypted backup keeps a copy). */
  async reveal(operator: OperatorSession, passphrase: string): Promise<string[]> {
    const stored = await this.stateWithChallenge();
    if (stored.confirmedAt) {
      throw new DomainError(
        'conflict',
        `The recovery words were confirmed on ${stored.confirmedAt.slice(0, 10)} and are not shown again. Settings can save an encrypted backup of the seed.`,
      );
    }
    const words = await this.operators.recoveryWords(operator, passphrase);
    const salt = randomBytes(16);
    this.expected = { salt, hashes: new Map(stored.challenge.map((position) => [position, wordHash(salt, position, words[position - 1] ?? '')])) };
    await this.audit.record({ operator: operator.name, action: 'custody.recovery_words_shown', entity: { type: 'custody', id: 'seed-vault' }, change: { challenge: stored.challenge } });
    return words;
  }

  async confirm(operator: OperatorSession, answers: ReadonlyArray<{ position: number; word: string }>): Promise<RecoveryStatus> {
    const stored = await this.stateWithChallenge();
    if (stored.confirmedAt) return this.status();
    const asked = [...stored.challenge].sort((a, b) => a - b).join(',');
    const given = answers.map((a) => a.position).sort((a, b) => a - b).join(',');
    if (asked !== given) throw new DomainError('validation', `Give the words at positions ${stored.challenge.join(', ')}.`, { challenge: stored.challenge });
    if (!this.expected) throw new DomainError('conflict', 'Show the recovery words first (the passphrase is asked again), then confirm three of them.');
    const expected = this.expected;
    const wrong = answers
      .filter((a) => {
        const hash = expected.hashes.get(a.position);
        return !hash || !timingSafeEqual(hash, wordHash(expected.salt, a.position, a.word.trim().toLowerCase()));
      })
      .map((a) => a.position)
      .sort((a, b) => a - b);
    if (wrong.length > 0) {
      await this.audit.record({ operator: operator.name, action: 'custody.recovery_check_failed', entity: { type: 'custody', id: 'seed-vault' }, change: { wrongPositions: wrong } });
      const which = wrong.map((p) => `word ${p}`).join(' and ');
      throw new DomainError('validation', `The ${which} ${wrong.length === 1 ? 'does' : 'do'} not match the recovery words. Check your written copy.`, {
        wrongPositions: wrong,
      });
    }
    await this.markConfirmed(operator.name, 'word_check');
    this.expected = null;
    return this.status();
  }

  /** A seed restored from its words proves the officer holds them. */
  async markConfirmed(operator: string, how: 'word_check' | 'restored'): Promise<void> {
    const at = new Date().toISOString();
    const next: Stored = { confirmedAt: at, confirmedBy: operator, confirmedHow: how, challenge: [] };
    await this.db.transaction().execute(async (trx) => {
      await write(trx, next);
      await this.audit.record({ operator, action: 'custody.recovery_confirmed', entity: { type: 'custody', id: 'seed-vault' }, change: { how } }, trx);
    });
  }

  /** The stored state, with a challenge picked (and kept, so a reload asks the same three) while unconfirmed. */
  private async stateWithChallenge(): Promise<Stored> {
    const read = async () => {
      const row = await this.db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
      return row ? storedSchema.parse(JSON.parse(row.value)) : null;
    };
    const stored = await read();
    if (stored) return stored;
    // Two windows asking at once: the first challenge written is the one both get.
    const fresh: Stored = { confirmedAt: null, confirmedBy: null, confirmedHow: null, challenge: pickPositions() };
    await this.db
      .insertInto('settings')
      .values({ key: KEY, value: JSON.stringify(fresh), updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await read()) ?? fresh;
  }
}

function pickPositions(): number[] {
  const picked = new Set<number>();
  while (picked.size < CHECKED_WORDS) picked.add(randomInt(1, WORD_COUNT + 1));
  return [...picked].sort((a, b) => a - b);
}

function wordHash(salt: Buffer, position: number, word: string): Buffer {
  return createHash('sha256').update(salt).update(`${position}:${word.normalize('NFKD')}`).digest();
}

async function write(db: Kysely<Database>, value: Stored): Promise<void> {
  const text = JSON.stringify(value);
  const at = new Date().toISOString();
  await db
    .insertInto('settings')
    .values({ key: KEY, value: text, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: at }))
    .execute();
}
