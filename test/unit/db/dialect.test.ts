import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { tableExists } from '@engine/db/dialect';
import { exactInteger } from '@engine/db/postgres/connect';
import { BACKENDS } from '@test/backends';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';

describe.each(BACKENDS)('queries that differ by dialect, on %s', (backend) => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startUnlockedEngine({ backend });
    for (const label of ['Fund 50% Reserve', 'Fund 500', 'fund_a', 'fundXa']) await callOk(t.engine, 'wallets:create', { chain: 'polygon', label });
  });
  afterAll(() => t.dispose());

  const search = async (text: string) =>
    (await callOk<Page<WalletView>>(t.engine, 'wallets:list', { search: text })).items.map((w) => w.label).sort();

  it('searches ignoring case, and takes % and _ literally', async () => {
    expect(await search('FUND')).toEqual(['Fund 50% Reserve', 'Fund 500', 'fundXa', 'fund_a']);
    expect(await search('50%')).toEqual(['Fund 50% Reserve']);
    expect(await search('d_a')).toEqual(['fund_a']);
  });

  it('tells which tables exist', async () => {
    expect(await tableExists(t.engine.database.db, 'deposits')).toBe(true);
    expect(await tableExists(t.engine.database.db, 'no_such_table')).toBe(false);
  });
});

describe('integers the server sends as text', () => {
  it('become numbers only when exact, and stay decimal strings past 2^53', () => {
    expect(exactInteger('42')).toBe(42);
    expect(exactInteger('-7')).toBe(-7);
    expect(exactInteger('9007199254740993')).toBe('9007199254740993');
    expect(exactInteger('1.5')).toBe('1.5');
  });
});
