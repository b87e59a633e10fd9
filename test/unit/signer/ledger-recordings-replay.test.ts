import { describe, expect, it } from 'vitest';
import { VirtualLedger, type VirtualLedgerOptions } from '@test/virtual-ledger/virtual-ledger';

/*
 * APDU exchanges Ledger recorded on its own devices for the hw-app-eth and hw-app-trx tests
 * (LedgerHQ/ledger-live; shipped in the npm packages: hw-app-eth tests/fixtures/apdus/*.apdus,
 * hw-app-trx tests/Trx.test.ts). The recording devices' seeds are not published, so signatures cannot
 * match; everything else must: every status word, the length of every answer, and the bytes of
 * answers that do not depend on the seed. Each is replayed on the settings the recording device had
 * (read from its own configuration answer) and on a factory-fresh device, where the real apps refuse
 * with the status words named.
 */
const SEED = 'test test test test test test test test test test test junk';

interface Exchange {
  command: string;
  response: string;
}

function parse(recording: string): Exchange[] {
  const lines = recording
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const exchanges: Exchange[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    exchanges.push({ command: lines[i]!.replace(/^=> /, ''), response: lines[i + 1]!.replace(/^<= /, '') });
  }
  return exchanges;
}

const status = (hex: string) => hex.slice(-4);

interface Replay {
  name: string;
  recording: string;
  device: Omit<VirtualLedgerOptions, 'mnemonic'>;
  /** The answers whose bytes do not depend on the seed, by index. */
  exact?: number[];
  /** On a factory-fresh app, the status word of each exchange (the sequence stops at the first refusal). */
  factoryFresh?: string[];
}

const REPLAYS: Replay[] = [
  {
    name: 'hw-app-eth ERC20-OK: WETH descriptor signed by Ledger, then the transfer clear-signed (blind signing off)',
    recording: `
      => e00a0000680457455448c02aaa39b223fe8d0a0e5c4f27ead9083c756cc200000012000000013045022100b47ee8551c15a2cf681c649651e987d7e527c481d27c38da1f971a8242792bd3022069c3f688ac5493a23dab5798e3c9b07484765069e1d4be14321aae4d92cb8cbe
      <= 9000
      => e004000081058000002c8000003c800000000000000000000000f86a0e8506a2bb7d008301512c94c02aaa39b223fe8d0a0e5c4f27ead9083c756cc280b844a9059cbb00000000000000000000000082ec3523f8a722694ca217ebfd95efbcadad77ee000000000000000000000000000000000000000000000002b5e3af16b1880000018080
      <= 26006c000371dc04c5752287a9901b1fac4b069eb1410173db39c407ae725e4a6e4f445c94cc869f01e194478a3b876052716ae7676247664acec371b6e6ad16e49000`,
    // chain id 1: the hardware signed for Ethereum mainnet, so only this replay lifts the devnet-only policy
    device: { app: 'eth', ethereum: { signableChainIds: 'any' } },
    exact: [0],
  },
  {
    name: 'hw-app-eth ERC20-KO: the same transfer without the descriptor is refused (0x6a80)',
    recording: `
      => e004000081058000002c8000003c800000000000000000000000f86a0e8506a2bb7d008301512c94c02aaa39b223fe8d0a0e5c4f27ead9083c756cc280b844a9059cbb00000000000000000000000082ec3523f8a722694ca217ebfd95efbcadad77ee000000000000000000000000000000000000000000000002b5e3af16b1880000018080
      <= 6a80`,
    device: { app: 'eth', ethereum: { signableChainIds: 'any' } },
    exact: [0],
  },
  {
    name: 'hw-app-eth version-1.11.1: the app name and version (BOLOS)',
    recording: `
      => b001000000
      <= 0108457468657265756d06312e31312e3101009000`,
    device: { app: 'eth', ethereum: { version: '1.11.1' } },
    exact: [0],
  },
  {
    name: 'hw-app-trx getAppConfiguration: every setting on, version 0.1.5',
    recording: `
      => e006000000
      <= 0f0001059000`,
    device: { app: 'tron', tron: { flags: 0x0f, version: '0.1.5' } },
    exact: [0],
  },
  {
    name: 'hw-app-trx signTransaction: a TRX transfer carrying a memo',
    recording: `
      => e0041000c9058000002c800000c38000000000000000000000000a023dce220895da42177db0050740d8e0a5feed2d522c43727970746f436861696e2d54726f6e5352204c6564676572205472616e73616374696f6e732054657374735a68080112640a2d747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412330a1541c8599111f29c1e1e061265b4af93ea1f274ad78a121541c8599111f29c1e1e061265b4af93ea1f274ad78a1880c2d72f709d94a2feed2d
      <= 3816b17b81c0a528b9f7506029473c82a3931945999426550a18d788651cb59d2d674a2386501107af2d51a106a67f8cf2e6adf2aded3220b6d1fc9847aec7c0009000`,
    device: { app: 'tron', tron: { flags: 0x0f } },
    factoryFresh: ['6a8b'],
  },
  {
    name: 'hw-app-trx signTransactionHash',
    recording: `
      => e005000035058000002c800000c3800000000000000000000000abfcd07e44a6bfc18efb18062c8e588c34f187e3d2b286d4411781acdf6692eb
      <= 37a3cce70ebf7d792222d93509475a28ef1c7709d9ba032bf01dff3e52bca98c5a6cf64b73428a3f412b7dab1504afe4ac11995049c27ecdf1b46493292e4c68019000`,
    device: { app: 'tron', tron: { flags: 0x0f } },
    factoryFresh: ['6a8c'],
  },
];

async function replay(recording: string, options: Omit<VirtualLedgerOptions, 'mnemonic'>): Promise<string[]> {
  const device = new VirtualLedger({ ...options, mnemonic: SEED });
  const answers: string[] = [];
  for (const { command } of parse(recording)) {
    const response = (await device.exchange(Buffer.from(command, 'hex'))).toString('hex');
    answers.push(response);
    if (status(response) !== '9000') break;
  }
  return answers;
}

describe("Ledger's own recorded exchanges replayed on the virtual device", () => {
  it.each(REPLAYS)('$name', async ({ recording, device, exact = [], factoryFresh }) => {
    const recorded = parse(recording);
    const answers = await replay(recording, device);

    expect(answers.map(status)).toEqual(recorded.map((e) => status(e.response)));
    expect(answers.map((a) => a.length)).toEqual(recorded.map((e) => e.response.length));
    for (const index of exact) expect(answers[index]).toBe(recorded[index]!.response);

    if (factoryFresh) {
      const fresh = await replay(recording, device.app ? { app: device.app } : {});
      expect(fresh.map(status)).toEqual(factoryFresh);
    }
  });
});
