import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVNET_EVM_USDC, DEVNET_EVM_USDT, DEVNET_TRON_USDT } from '@shared/domain/assets';
import type { Chain } from '@shared/domain/chains';
import type { WalletView } from '@shared/domain/wallets';
import { startUnlockedEngine, type TestEngine } from '@test/engine';

let t: TestEngine;
let deposit: WalletView;
beforeAll(async () => {
  t = await startUnlockedEngine();
  const created = await t.engine.api.call('wallets:create', { chain: 'tron', label: 'a client' }, { door: 'test' });
  if (!created.ok) throw new Error(created.error.message);
  deposit = created.data as WalletView;
});
afterAll(async () => t?.dispose());

const check = (chain: Chain, address: string) => t.engine.services.withdraw.withdrawals.checkDestination(chain, address);

describe('destination rules', () => {
  it.each<[string, Chain, () => string, string]>([
    ['the EVM zero address', 'polygon', () => '0x0000000000000000000000000000000000000000', 'zero_address'],
    ['the EVM zero address on BNB Chain', 'bsc', () => '0x0000000000000000000000000000000000000000', 'zero_address'],
    ['0x…dEaD', 'polygon', () => '0x000000000000000000000000000000000000dEaD', 'burn_address'],
    ['a precompiled contract (ecrecover)', 'bsc', () => '0x0000000000000000000000000000000000000001', 'burn_address'],
    ['the Tron zero address', 'tron', () => 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb', 'zero_address'],
    ['the Tron zero address in hex', 'tron', () => '410000000000000000000000000000000000000000', 'zero_address'],
    ["Tron's black hole account", 'tron', () => 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy', 'burn_address'],
    ['the USDT contract in the registry', 'polygon', () => DEVNET_EVM_USDT, 'token_contract'],
    ['the USDC contract in lowercase', 'bsc', () => DEVNET_EVM_USDC.toLowerCase(), 'token_contract'],
    ['the TRC-20 USDT contract', 'tron', () => DEVNET_TRON_USDT, 'token_contract'],
    ['our gas tank', 'polygon', () => t.engine.services.custody.keyring().gasTankAddress('polygon'), 'gas_tank_address'],
    ['our own deposit address', 'tron', () => deposit.address, 'own_deposit_address'],
  ])('refuses %s with its reason', async (_name, chain, address, reason) => {
    await expect(check(chain, address())).rejects.toMatchObject({ code: 'invalid_address', details: { chain, reason } });
  });

  it.each<[Chain, string]>([
    ['polygon', '0x8ba1f109551bD432803012645Ac136ddd64DBA72'],
    ['tron', 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL'],
  ])('accepts an ordinary %s address in its canonical form', async (chain, address) => {
    expect(await check(chain, address)).toBe(address);
  });
});
