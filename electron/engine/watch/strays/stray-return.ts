import type { Kysely, Selectable } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import { chainFamily, CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import { formatAmount } from '@shared/money';
import { DomainError } from '@shared/result';
import type { AssetRegistry } from '@engine/chains/asset-registry';
import type { ChainService } from '@engine/chains/chain-service';
import { tronAddressToHex } from '@engine/chains/tron/address';
import type { Database, UnidentifiedFundsTable } from '@engine/db/schema';
import type { Ledger } from '@engine/ledger/ledger';
import { clientHeldAt } from '@engine/sweep/client-held';

type StrayRow = Selectable<UnidentifiedFundsTable>;

export interface StrayReturnDeps {
  db: Kysely<Database>;
  ledger: Ledger;
  chains: ChainService;
  assets: AssetRegistry;
}

/**
 * The asset a return moves: the registry's when the token (or the native coin) is in it, else one described by
 * the stray itself (an unknown token is sent back without being registered, so no deposit of it is ever credited).
 */
export async function strayAsset(assets: AssetRegistry, row: Pick<StrayRow, 'id' | 'chain' | 'token_contract' | 'symbol' | 'decimals'>): Promise<Asset> {
  const chain = row.chain as Chain;
  const listed = (await assets.list(chain)).find((a) => (row.token_contract === null ? a.contract === null : a.contract?.toLowerCase() === row.token_contract.toLowerCase()));
  return listed ?? { id: `stray:${row.id}`, chain, symbol: row.symbol ?? 'unnamed token', decimals: row.decimals ?? 0, contract: row.token_contract };
}

function isZeroAddress(chain: Chain, address: string): boolean {
  const hex = chainFamily(chain) === 'tron' ? tronAddressToHex(address).slice(2) : address.slice(2);
  return /^0+$/.test(hex);
}

/**
 * Refuses a return that cannot or must not be paid, and answers the canonical address to pay: not an address of
 * the chain, the zero address, the deposit address itself, a contract that refuses the payment (a dry run of the
 * transfer fails; Tron refuses TRX to any contract), or funds no longer at the address beyond the client's own.
 */
export async function assertReturnable(deps: StrayReturnDeps, row: StrayRow, to: string): Promise<string> {
  const chain = row.chain as Chain;
  const adapter = await deps.chains.adapter(chain);
  let returnTo: string;
  try {
    returnTo = adapter.normalizeAddress(to.trim());
  } catch {
    throw new DomainError('validation', `That is not a ${CHAIN_LABELS[chain]} address.`, { field: 'returnTo' });
  }
  if (isZeroAddress(chain, returnTo)) throw new DomainError('validation', 'The sender is the zero address (the tokens were minted): nobody can receive them there. Credit the wallet or book them as company funds instead.', { field: 'returnTo' });
  if (returnTo === adapter.normalizeAddress(row.address)) throw new DomainError('validation', 'That is the deposit address itself.', { field: 'returnTo' });
  const asset = await strayAsset(deps.assets, row);
  const amount = BigInt(row.amount);
  const [balance, held] = await Promise.all([
    adapter.balance(asset, row.address),
    row.wallet_id && !asset.id.startsWith('stray:') ? clientHeldAt(deps.db, deps.ledger, row.wallet_id, asset.id) : Promise.resolve(0n),
  ]);
  const spare = balance > held ? balance - held : 0n;
  if (spare < amount) {
    throw new DomainError(
      'validation',
      `The funds are no longer at the address: beyond what its client owns it holds ${formatAmount(spare, asset.decimals)} ${asset.symbol}, less than the ${formatAmount(amount, asset.decimals)} ${asset.symbol} to return.`,
    );
  }
  const contract = await adapter.isContract(returnTo);
  // java-tron refuses a TransferContract to a contract account ("Cannot transfer TRX to a smartContract").
  if (contract && chainFamily(chain) === 'tron' && asset.contract === null) {
    throw new DomainError('validation', 'The sender is a contract, and TRX cannot be sent to a contract on Tron.', { field: 'returnTo' });
  }
  if (contract) {
    // The node runs the transfer as it would be mined: a contract that reverts on payment is refused here.
    await adapter.estimateFee({ asset, from: row.address, to: returnTo, amount }).catch(() => {
      throw new DomainError('validation', 'The sender is a contract that does not accept this payment: it would fail on chain.', { field: 'returnTo' });
    });
  }
  return returnTo;
}
