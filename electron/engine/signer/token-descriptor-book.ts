import { getAddress } from 'ethers';
import type { NetworkProfile } from '@shared/domain/chains';
import { DEVNET_EVM_USDC, DEVNET_EVM_USDT } from '@shared/domain/assets';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';
import type { EvmTokenInfo } from './token-descriptor';
import ledgerPolygon from './descriptors/ledger-erc20-signatures-137.json';
import ledgerBsc from './descriptors/ledger-erc20-signatures-56.json';

/**
 * Ledger's production key for ERC-20 descriptors ("erc20signer", 2019-01-11), compiled into every
 * release build of the Ethereum app (app-ethereum src/public_keys.h). Every shipped Ledger descriptor
 * verifies under it (test/unit/signer/token-descriptor-book.test.ts).
 */
export const LEDGER_ERC20_SIGNER_PUBLIC_KEY =
  '045e6c1020c14dc46442fe89f97c0b68cdb15976dc24f24c316e7b30fe4e8cc76b1489150c21514ebf440ff5dea5393d83de5358cd098fce8fd0f81daa94979183';

/**
 * The devnet's own descriptor key: the virtual Ledger of the devnet profile trusts it instead of
 * Ledger's, the way a device with a test build of the app would. Nothing outside devnet trusts it.
 */
export const DEVNET_ERC20_SIGNER_PUBLIC_KEY =
  '04f2e40a15753aa07dc3dd4726a06416245bcfa1c4f7dd7bd22214e5eb77312527f0539c88556e8cf316f7611686d344cd6504d39fa65a970abb5c49f91dd4e4eb';

/*
 * Ledger's signed ERC-20 lists for Polygon (137) and BNB Chain (56), as Ledger published them in the
 * npm package @ledgerhq/cryptoassets 13.4.0 (src/data/evm/<chainId>/erc20-signatures.json, Apache-2.0):
 * base64 of items, each a u32 length then ticker length, ticker, contract, decimals (u32), chain id
 * (u32) and Ledger's DER signature, the exact payload of PROVIDE_ERC20_TOKEN_INFORMATION. Shipped so a
 * workstation resolves them offline (hw-app-eth would fetch them from Ledger's CDN).
 */
const LEDGER_LISTS: Readonly<Record<number, string>> = { 137: ledgerPolygon, 56: ledgerBsc };

/** The devnet test tokens, described for the devnet chains and signed with the devnet key. */
const DEVNET_DESCRIPTORS: readonly EvmTokenInfo[] = [
  {
    ticker: 'USDT', contractAddress: DEVNET_EVM_USDT, decimals: 6, chainId: DEVNET_EVM_CHAIN_IDS.polygon,
    signature: '3044022041fc628ce722da4fa7ff6a210fd195a6a2095759ea7224a69125c56de0a3fbc4022073a89c135f374fc8061471012485225a12d46efb618f6d04bbe2af0f7304952e',
  },
  {
    ticker: 'USDC', contractAddress: DEVNET_EVM_USDC, decimals: 6, chainId: DEVNET_EVM_CHAIN_IDS.polygon,
    signature: '3044022048552c0bbb767f445c3e1ff5b02bca8e3b4013fb2b7bdb7d466a9287f0b6b0d7022067cf706c3b3371be4b025f27e3cf2c56be26c9dc8c3157ddab591802ac7ed420',
  },
  {
    ticker: 'USDT', contractAddress: DEVNET_EVM_USDT, decimals: 18, chainId: DEVNET_EVM_CHAIN_IDS.bsc,
    signature: '3044022059810a88369f5bd0b180982b09c240350d76cbc164d61903278aa852f42554b202206790bd8fbb9e45c22356c3f62221f508da434950dfc432ede28f0aa2021a2c37',
  },
  {
    ticker: 'USDC', contractAddress: DEVNET_EVM_USDC, decimals: 18, chainId: DEVNET_EVM_CHAIN_IDS.bsc,
    signature: '3045022100d39d636d05a87e47930f5b8653580d426c7721f1aa2912a6d5fa794ce4d482a70220354711f709771d68dc7b5e551efb7318932fb0d2d9d81ef59bb9bfcd6c3f5ae1',
  },
];

const key = (chainId: number, contract: string) => `${chainId}:${contract.toLowerCase()}`;

/** Parses one of Ledger's signed lists into descriptors keyed by chain id and contract. */
export function parseLedgerDescriptorList(base64: string): EvmTokenInfo[] {
  const bytes = Buffer.from(base64, 'base64');
  const entries: EvmTokenInfo[] = [];
  for (let at = 0; at + 4 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const item = bytes.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    const tickerLength = item[0] ?? 0;
    const body = 1 + tickerLength;
    entries.push({
      ticker: item.subarray(1, body).toString('ascii'),
      contractAddress: getAddress(`0x${item.subarray(body, body + 20).toString('hex')}`),
      decimals: item.readUInt32BE(body + 20),
      chainId: item.readUInt32BE(body + 24),
      signature: item.subarray(body + 28).toString('hex'),
    });
  }
  return entries;
}

/**
 * The descriptors a profile's device trusts: Ledger's for mainnet and testnet (a real Ethereum app
 * accepts nothing else), the devnet key's for the devnet test tokens. Parsed on first use per chain.
 */
export class TokenDescriptorBook {
  private readonly byChain = new Map<number, Map<string, EvmTokenInfo>>();

  constructor(private readonly source: 'ledger' | 'devnet') {}

  static forProfile(profile: NetworkProfile): TokenDescriptorBook {
    return profile === 'devnet' ? DEVNET_BOOK : LEDGER_BOOK;
  }

  /** The descriptor for a contract on a chain, or null when none is published (blind signing needed). */
  find(chainId: number, contract: string): EvmTokenInfo | null {
    return this.chain(chainId).get(key(chainId, contract)) ?? null;
  }

  private chain(chainId: number): Map<string, EvmTokenInfo> {
    let book = this.byChain.get(chainId);
    if (!book) {
      const list =
        this.source === 'devnet'
          ? DEVNET_DESCRIPTORS.filter((d) => d.chainId === chainId)
          : LEDGER_LISTS[chainId] !== undefined
            ? parseLedgerDescriptorList(LEDGER_LISTS[chainId])
            : [];
      book = new Map(list.map((d) => [key(d.chainId, d.contractAddress), d]));
      this.byChain.set(chainId, book);
    }
    return book;
  }
}

const LEDGER_BOOK = new TokenDescriptorBook('ledger');
const DEVNET_BOOK = new TokenDescriptorBook('devnet');
