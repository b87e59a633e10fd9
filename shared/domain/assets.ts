import type { Chain, NetworkProfile } from './chains';

/**
 * An asset is (chain, native coin or token contract). Its id is stable across profiles for the
 * well-known assets ("polygon:USDT") so settings and ledger accounts read the same on every network;
 * custom tokens get "chain:contract".
 */
export interface Asset {
  id: string;
  chain: Chain;
  symbol: string;
  decimals: number;
  /** null for the chain's native coin. EVM: EIP-55 checksummed; Tron: base58 T-address. */
  contract: string | null;
}

/**
 * The devnet deploys its test tokens deterministically (fixed deployer key and nonces on both anvils; a
 * fixed contract address on the Tron devnode), so these addresses hold on every start.
 */
export const DEVNET_EVM_USDT = '0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35';
export const DEVNET_EVM_USDC = '0xA15BB66138824a1c7167f5E85b957d04Dd34E468';
export const DEVNET_TRON_USDT = 'TPAvmb5BxBCMnFyqfD9bDWKxHfKk12TpDC';

type AssetSeed = Omit<Asset, 'contract'> & { contract: Partial<Record<NetworkProfile, string>> | null };

/** Decimals come from here, never from user input. */
const WELL_KNOWN: AssetSeed[] = [
  { id: 'polygon:POL', chain: 'polygon', symbol: 'POL', decimals: 18, contract: null },
  {
    id: 'polygon:USDT', chain: 'polygon', symbol: 'USDT', decimals: 6,
    contract: { mainnet: '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', devnet: DEVNET_EVM_USDT },
  },
  {
    id: 'polygon:USDC', chain: 'polygon', symbol: 'USDC', decimals: 6,
    contract: { mainnet: '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359', devnet: DEVNET_EVM_USDC },
  },
  { id: 'bsc:BNB', chain: 'bsc', symbol: 'BNB', decimals: 18, contract: null },
  {
    id: 'bsc:USDT', chain: 'bsc', symbol: 'USDT', decimals: 18,
    contract: { mainnet: '0x55d398326f99059fF775485246999027B3197955', devnet: DEVNET_EVM_USDT },
  },
  {
    id: 'bsc:USDC', chain: 'bsc', symbol: 'USDC', decimals: 18,
    contract: { mainnet: '0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d', devnet: DEVNET_EVM_USDC },
  },
  { id: 'tron:TRX', chain: 'tron', symbol: 'TRX', decimals: 6, contract: null },
  {
    id: 'tron:USDT', chain: 'tron', symbol: 'USDT', decimals: 6,
    contract: { mainnet: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', devnet: DEVNET_TRON_USDT },
  },
];

/**
 * The registry of a profile: the well-known assets with the contract addresses that profile knows
 * (a token whose contract is unknown on that profile is left out).
 */
export function wellKnownAssets(profile: NetworkProfile): Asset[] {
  const assets: Asset[] = [];
  for (const seed of WELL_KNOWN) {
    if (seed.contract === null) {
      assets.push({ ...seed, contract: null });
      continue;
    }
    const contract = seed.contract[profile];
    if (contract) assets.push({ ...seed, contract });
  }
  return assets;
}
