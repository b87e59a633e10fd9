import { sql, type Kysely } from 'kysely';
import { CHAIN_LABELS, chainFamily, type Chain } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ChainService } from '../chains/chain-service';
import { tronAddressToHex } from '../chains/tron/address';
import type { CustodyService } from '../custody/custody-service';
import type { Database } from '../db/schema';
import type { HoldingWallets } from '../holding/holding-wallets';

export type DestinationRefusal = 'zero_address' | 'burn_address' | 'token_contract' | 'holding_address' | 'gas_tank_address' | 'own_deposit_address';

/**
 * Addresses nobody can spend from, by their 20-byte account id (EVM address, or a Tron address without its
 * 0x41 prefix): 0x…dEaD, the burn address by convention on every EVM chain, and Tron's black hole account
 * from java-tron's mainnet genesis (TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy).
 */
const BURN_ACCOUNT_IDS = new Set(['000000000000000000000000000000000000dead', '77944d19c052b73ee2286823aa83f8138cb7032f']);

/**
 * Where money may be sent, per chain: a refusal names its reason. Applied wherever a destination is
 * accepted (withdrawals, the address book, the off-ramp liquidity address), before maker-checker sees it,
 * because no approver can make coins sent to these addresses come back.
 */
export class DestinationRules {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly chains: ChainService,
    private readonly assets: AssetRegistry,
    private readonly holding: HoldingWallets,
    /** For the gas-tank addresses while the seed is open; known ones are also read from past gas funding. */
    private readonly custody?: CustodyService,
  ) {}

  /** The canonical address, or a DomainError('invalid_address') whose details.reason names the rule. */
  async check(chain: Chain, input: string): Promise<string> {
    const address = await this.chains.normalizeAddress(chain, input);
    const refuse = (reason: DestinationRefusal, message: string, details: Record<string, unknown> = {}) =>
      new DomainError('invalid_address', message, { chain, reason, ...details });
    const accountId = chainFamily(chain) === 'tron' ? tronAddressToHex(address).slice(2) : address.slice(2).toLowerCase();
    // The zero address and the reserved low range (precompiled contracts 0x01-0xff): nothing there can spend.
    if (/^0{40}$/.test(accountId)) throw refuse('zero_address', `${address} is the zero address: coins sent there are destroyed.`);
    if (/^0{38}/.test(accountId)) throw refuse('burn_address', `${address} is a reserved system address (a precompiled contract): coins sent there are lost.`);
    if (BURN_ACCOUNT_IDS.has(accountId)) throw refuse('burn_address', `${address} is a burn address: coins sent there are destroyed.`);

    const same = (other: string) => (chainFamily(chain) === 'tron' ? other === address : other.toLowerCase() === address.toLowerCase());
    const token = (await this.assets.list(chain)).find((asset) => asset.contract !== null && same(asset.contract));
    if (token) {
      throw refuse('token_contract', `${address} is the ${token.symbol} token contract on ${CHAIN_LABELS[chain]}, not a wallet: tokens sent there are lost.`, {
        assetId: token.id,
      });
    }
    const holding = await this.holding.find(chain);
    if (holding && same(holding.address)) throw refuse('holding_address', `${address} is the holding wallet itself.`);
    if ((await this.gasTanks(chain)).some(same)) {
      throw refuse('gas_tank_address', `${address} is our own gas tank on ${CHAIN_LABELS[chain]}: top it up from the holding wallet's screen instead.`);
    }
    const family = chainFamily(chain) === 'tron' ? ['tron'] : ['polygon', 'bsc'];
    const own = await this.db
      .selectFrom('wallets')
      .select(['id', 'label'])
      .where('chain', 'in', family)
      .where(chainFamily(chain) === 'tron' ? sql.ref('address') : sql`lower(address)`, '=', chainFamily(chain) === 'tron' ? address : address.toLowerCase())
      .executeTakeFirst();
    if (own) {
      throw refuse('own_deposit_address', `${address} is our own deposit address (wallet "${own.label}"): use an internal transfer instead.`, {
        walletId: own.id,
        suggestion: 'transfers:internal',
      });
    }
    return address;
  }

  private async gasTanks(chain: Chain): Promise<string[]> {
    const funded = await this.db.selectFrom('sweep_txs').select('from_address').distinct().where('chain', '=', chain).where('purpose', '=', 'gas').execute();
    const addresses = funded.map((row) => row.from_address);
    if ((await this.custody?.status())?.unlocked) addresses.push(this.custody!.keyring().gasTankAddress(chain));
    return addresses;
  }
}
