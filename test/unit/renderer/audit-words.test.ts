import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BANK_ACCOUNT_STATUSES, KYC_STATUSES } from '@shared/domain/clients';
import { COMPANY_CREDIT_STATES } from '@shared/domain/controls';
import { OFFRAMP_STATES, ONRAMP_STATES } from '@shared/domain/ramps';
import { auditActionSentence, auditEntityKind, hasActionWords } from '../../../renderer/src/words/audit-actions';

/** Every audit action the engine writes, read from its source: a new one without officer words fails here. */
const ENGINE = join(__dirname, '../../../electron/engine');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Actions built from a state: each template the engine uses, and the states it can take. */
const TEMPLATES: Record<string, readonly string[]> = {
  '${kind}.${to}': [...ONRAMP_STATES.map((s) => `onramp.${s}`), ...OFFRAMP_STATES.map((s) => `offramp.${s}`)],
  'bank_account.${to}': BANK_ACCOUNT_STATUSES.map((s) => `bank_account.${s}`),
  'company_credit.${state}': COMPANY_CREDIT_STATES.map((s) => `company_credit.${s}`),
  'kyc.${rule.to}': KYC_STATUSES.map((s) => `kyc.${s}`),
  // TransferKind (electron/engine/db/schema.ts)
  'ledger.${t.kind}': ['posted', 'pending', 'post_pending', 'void_pending'].map((k) => `ledger.${k}`),
};

/** Dotted literals beside the actions that are not actions: table columns and event types. */
const NOT_ACTIONS = new Set([
  'bank_account.fields', 'bank_account.holder_name', 'bank_account.identifier', 'clients.id', 'clients.retention', 'clients.risk_level',
  'custody.seed_fingerprint', 'sweep.status', 'withdrawal.status', 'deposit.reversed', 'ledger.transfer', 'workspace.switched',
]);

const files = sources(ENGINE).map((path) => readFileSync(path, 'utf8'));
const DOTTED = /'([a-z_]+\.[a-z_]+)'/g;
// Lines that name an action: `action: …`, and the helpers that pass one on (sweep transitions, sign-in refusals, workspace saves, exports).
const ACTION_LINE = /\baction\b|\b(transition|transitionIn|markAndMove|note|refuse|save|written|send)\(/;
const literal = new Set<string>();
const templates = new Set<string>();
for (const text of files) {
  for (const line of text.split('\n')) {
    if (!ACTION_LINE.test(line)) continue;
    for (const m of line.matchAll(DOTTED)) literal.add(m[1]!);
    const template = /action: `([^`]+)`/.exec(line);
    if (template) templates.add(template[1]!);
  }
}
// Any dotted literal under a prefix the engine audits, wherever it is built (ternaries over several lines).
const prefixes = new Set([...literal].map((a) => a.split('.')[0]!));
for (const text of files) for (const m of text.matchAll(DOTTED)) if (prefixes.has(m[1]!.split('.')[0]!)) literal.add(m[1]!);
const actions = [...new Set([...literal].filter((a) => !NOT_ACTIONS.has(a)).concat([...templates].flatMap((t) => TEMPLATES[t] ?? [])))].sort();

describe('audit actions in officer words', () => {
  it('reads a plausible number of actions from the engine', () => {
    expect(actions.length).toBeGreaterThan(120);
    expect(actions).toContain('withdrawal.approved');
    expect(actions).toContain('onramp.credited');
  });

  it('knows every action template the engine builds', () => {
    expect([...templates].filter((t) => !(t in TEMPLATES))).toEqual([]);
  });

  it('has words for every action the engine writes', () => {
    expect(actions.filter((a) => !hasActionWords(a))).toEqual([]);
  });

  it.each([
    ['withdrawal.approved', 'approved a withdrawal'],
    ['onramp.credited', 'credited an on-ramp to the client’s wallet'],
    ['kyc.verified', 'verified a client’s KYC'],
  ])('%s reads as a sentence', (action, words) => {
    expect(auditActionSentence(action)).toBe(words);
  });

  it('tells an on-ramp credit waiting for approval from a quote, though both are written as onramp.quoted', () => {
    expect(auditActionSentence('onramp.quoted', { from: 'quoted', to: 'quoted', creditRequested: true })).toMatch(/^asked to credit an on-ramp/);
    expect(auditActionSentence('onramp.quoted', { from: 'verified', to: 'quoted' })).toBe('quoted an on-ramp’s rate and fee');
  });

  it('says an unknown action in words, never the code alone', () => {
    expect(auditActionSentence('frobnicator.reticulated')).toBe('frobnicator: reticulated');
    expect(auditEntityKind('ledger_transfer')).toBe('ledger transfer');
  });
});
