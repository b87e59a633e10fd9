import Eth from '@ledgerhq/hw-app-eth';
import Trx from '@ledgerhq/hw-app-trx';
import { openTransportReplayer, RecordStore } from '@ledgerhq/hw-transport-mocker';
import { describe, expect, it } from 'vitest';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';

/*
 * Exchanges recorded from a real Ledger Nano set up with the mnemonic "test test test test test test
 * test test test test test ball", published with the Ledger tests of MyCryptoHQ/wallets
 * (src/implementations/deterministic/ledger.test.ts). Same seed, same commands: the virtual device
 * must answer byte for byte what the hardware answered, signatures included (RFC 6979).
 */
const RECORDED_SEED = 'test test test test test test test test test test test ball';

const offline = { cryptoassetsBaseURL: null, calServiceURL: null, pluginBaseURL: null, nftExplorerBaseURL: null };
const noResolution = { erc20Tokens: [], nfts: [], externalPlugin: [], plugin: [], domains: [] };

interface RecordedCase {
  name: string;
  recording: string;
  replay: (transport: VirtualLedger) => Promise<unknown>;
}

const RECORDED_ON_HARDWARE: RecordedCase[] = [
  {
    name: "address 44'/60'/0'/0/0 and 44'/60'/0'/0/1",
    recording: `
      => e002000015058000002c8000003c800000000000000000000000
      <= 4104b884d0c53b60fb8aafba20ca84870f20428082863f1d39a402c36c2de356cb0c6c0a582f54ee29911ca6f1823d34405623f4a7418db8ebb0203bc3acba08ba6428633644356133633938454339303733423534464130393639393537426435383265384438373462669000
      => e002000015058000002c8000003c800000000000000000000001
      <= 4104b21938e18aec1e2e7478988ccae5b556597d771c8e46ac2c8ea2a4a1a80619679230a109cd30e8af15856b15799e38991e45e55f406a8a24d5605ba0757da53c28353941383937413264626435354432306243433942353264356561413134453238353944633436379000`,
    replay: async (transport) => {
      const eth = new Eth(transport, undefined, offline);
      await eth.getAddress("44'/60'/0'/0/0");
      return eth.getAddress("44'/60'/0'/0/1");
    },
  },
  {
    name: 'address on a hardened account level',
    recording: `
      => e002000015058000002c8000003c800000010000000000000000
      <= 4104ecc55657c13ddfb60cd03a6787bfd524cc960570d7a84f987126f337c1c7cf0eeda2877ce13ee570bbe32ef47c603feb8acf63c4ff350e98f0251bdabfcf76dc28334645373033613230333543423335393043383635613039463535366544646130326232436631329000`,
    replay: (transport) => new Eth(transport, undefined, offline).getAddress("44'/60'/1'/0/0"),
  },
  {
    name: 'public key with chain code, full and shorter paths',
    recording: `
      => e002000115058000002c8000003c800000000000000000000000
      <= 4104b884d0c53b60fb8aafba20ca84870f20428082863f1d39a402c36c2de356cb0c6c0a582f54ee29911ca6f1823d34405623f4a7418db8ebb0203bc3acba08ba642863364435613363393845433930373342353446413039363939353742643538326538443837346266968a2e8e9aa80d3c3416b33e3d912b6a919af9909f42d29d2eb0b8f28ea4dcfd9000
      => e002000111048000002c8000003c8000000000000000
      <= 41044d7509b2ddb7179364109b16ea95c8282ff05c6866ae760b22eca20b8e66dc9ab32d17a73231de3bbb46696084155f8a7f6be29408a70fc3103112cefccc4ce328333134393746343930323933434635613435343062383163394635393931304636323531396236337968ee36e0b6d94da4551bac811e7816115d4ebb9e15a6f4068bbc29736d45769000
      => e00200010d038000002c8000003c80000000
      <= 4104d54226ceac221f494aa1888252f47220e9d4cf0ddc11a651433bcad6364ee2af9862e1c78d56331267a95c660b182ea47e8dd0cedb231a2a1de59e8c3031bf222863643137353661664437334531663937423166393266334633614131303532456334374235333532f34046e410a060091825436065aa12e074c6c8f348e3528578e902777789d0b59000`,
    replay: async (transport) => {
      const eth = new Eth(transport, undefined, offline);
      await eth.getAddress("44'/60'/0'/0/0", false, true);
      await eth.getAddress("44'/60'/0'/0", false, true);
      return eth.getAddress("44'/60'/0'", false, true);
    },
  },
  {
    name: 'legacy EIP-155 transaction (chain 3): v wraps into one byte',
    recording: `
      => e004000041058000002c8000003c800000000000000000000000eb0685012a05f20082520894b2bb2b958afa2e96dab3f3ce7162b87daea39017872386f26fc1000080038080
      <= 2975b96c4423ea79037099e0f8a0fa7d8538f00c6aaddea26e151320aac65ae3bd5266d81476adedc28c5e769f8bf016de33bdaa49f341435df429e01fe5f9b16e9000`,
    replay: (transport) =>
      new Eth(transport, undefined, offline).signTransaction(
        "44'/60'/0'/0/0",
        'eb0685012a05f20082520894b2bb2b958afa2e96dab3f3ce7162b87daea39017872386f26fc1000080038080',
        noResolution,
      ),
  },
  {
    name: 'EIP-1559 transaction: v is the parity',
    recording: `
      => e004000046058000002c8000003c80000000000000000000000002ef0306843b9aca008504a817c80082520894b2bb2b958afa2e96dab3f3ce7162b87daea39017872386f26fc1000080c0
      <= 01884850dc596eac6b74175d2c62deedd9295570808882b0cd9adf47e5ac8b3b3d68881b0ef002d48ef78374d6842ee4987a222a4726af47b5a0a4bcb8f38e2cf39000`,
    replay: (transport) =>
      new Eth(transport, undefined, offline).signTransaction(
        "44'/60'/0'/0/0",
        '02ef0306843b9aca008504a817c80082520894b2bb2b958afa2e96dab3f3ce7162b87daea39017872386f26fc1000080c0',
        noResolution,
      ),
  },
  {
    name: 'ERC-20 token information signed by Ledger, then the token call clear-signed',
    recording: `
      => e00a000066035a5258e41d2489571d322189246dafa5ebde1f4699f4980000001200000001304402200ae8634c22762a8ba41d2acb1e068dcce947337c6dd984f13b820d396176952302203306a49d8a6c35b11a61088e1570b3928ca3a0db6bd36f577b5ef87628561ff7
      <= 9000
      => e00400008c058000002c8000003c80000000000000000000000002f8740106843b9aca008504a817c80082520894e41d2489571d322189246dafa5ebde1f4699f498872386f26fc10000b844095ea7b3000000000000000000000000221657776846890989a759ba2973e427dff5c9bb0000000000000000000000000000000000000000000000004563918244f40000c0
      <= 00d6814aa5db69de910824b14462af006fde864224c616ab93e30f646e7309a93f0312ac6e580e918ce6e39e5f910cb95ba7b68167f4d71e581dec2495a198ecc09000`,
    replay: (transport) =>
      new Eth(transport, undefined, offline).signTransaction(
        "44'/60'/0'/0/0",
        '02f8740106843b9aca008504a817c80082520894e41d2489571d322189246dafa5ebde1f4699f498872386f26fc10000b844095ea7b3000000000000000000000000221657776846890989a759ba2973e427dff5c9bb0000000000000000000000000000000000000000000000004563918244f40000c0',
        {
          ...noResolution,
          erc20Tokens: [
            '035a5258e41d2489571d322189246dafa5ebde1f4699f4980000001200000001304402200ae8634c22762a8ba41d2acb1e068dcce947337c6dd984f13b820d396176952302203306a49d8a6c35b11a61088e1570b3928ca3a0db6bd36f577b5ef87628561ff7',
          ],
        },
      ),
  },
];

const lines = (recording: string): string[] =>
  recording
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

describe('virtual Ledger against exchanges recorded on hardware', () => {
  it.each(RECORDED_ON_HARDWARE)('$name', async ({ recording, replay }) => {
    // The hardware signed for chains 3 and 1; the strict default refuses those, so only this replay of
    // answers the hardware already gave lifts it.
    const device = new VirtualLedger({ mnemonic: RECORDED_SEED, app: 'eth', ethereum: { signableChainIds: 'any' } });
    const viaDevice = await replay(device);

    // commands from today's hw-app-eth and answers from the virtual device, byte for byte
    expect(lines(device.recording())).toEqual(lines(recording));

    // and the library reads the recorded answers exactly as it reads the virtual ones
    const replayer = await openTransportReplayer(RecordStore.fromString(recording));
    const viaRecording = await replay(replayer as unknown as VirtualLedger);
    expect(viaDevice).toEqual(viaRecording);
  });
});

/*
 * Ledger's own recordings (hw-app-eth and hw-app-trx tests in LedgerHQ/ledger-live) come from devices
 * whose seed is not published, so only their seed-independent parts can be matched byte for byte:
 * token descriptors signed with Ledger's production key, the commands the libraries send, and the
 * layout of the answers.
 */
describe('virtual Ledger against Ledger-published recordings', () => {
  it('accepts the MATIC descriptor Ledger signed, as the device in the hw-app-eth tests did', async () => {
    const device = new VirtualLedger({ mnemonic: RECORDED_SEED, app: 'eth' });
    const recorded = `
      => e00a000068054d415449437d1afa7b718fb893db30a3abc0cfc608aacfebb000000012000000013044022000d8fa7b6e409a0dc55723ba975179e7d1181d1fc78fccbece4e5a264814366a02203927d84a710c8892d02f7386ad20147c75fba4bdd486b0256ecd005770a7ca5b
      <= 9000`;
    await new Eth(device).provideERC20TokenInformation(
      '054d415449437d1afa7b718fb893db30a3abc0cfc608aacfebb000000012000000013044022000d8fa7b6e409a0dc55723ba975179e7d1181d1fc78fccbece4e5a264814366a02203927d84a710c8892d02f7386ad20147c75fba4bdd486b0256ecd005770a7ca5b',
    );
    expect(lines(device.recording())).toEqual(lines(recorded));
  });

  it('refuses a descriptor whose signature was tampered with (0x6a80)', async () => {
    const device = new VirtualLedger({ mnemonic: RECORDED_SEED, app: 'eth' });
    const tampered =
      '054d415449437d1afa7b718fb893db30a3abc0cfc608aacfebb000000012000000013044022000d8fa7b6e409a0dc55723ba975179e7d1181d1fc78fccbece4e5a264814366a02203927d84a710c8892d02f7386ad20147c75fba4bdd486b0256ecd005770a7ca5c';
    await expect(new Eth(device).provideERC20TokenInformation(tampered)).rejects.toMatchObject({ statusCode: 0x6a80 });
  });

  it('receives from hw-app-trx the exact signing command of the hw-app-trx tests and answers a 65-byte signature', async () => {
    // the recorded device had every setting on (its configuration answer was 0f000105); this raw_data
    // carries a memo, which needs "Transactions data"
    const device = new VirtualLedger({ mnemonic: RECORDED_SEED, app: 'tron', tron: { flags: 0x0f } });
    const rawData =
      '0a023dce220895da42177db0050740d8e0a5feed2d522c43727970746f436861696e2d54726f6e5352204c6564676572205472616e73616374696f6e732054657374735a68080112640a2d747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412330a1541c8599111f29c1e1e061265b4af93ea1f274ad78a121541c8599111f29c1e1e061265b4af93ea1f274ad78a1880c2d72f709d94a2feed2d';
    const signature = await new Trx(device).signTransaction("44'/195'/0'/0/0", rawData, []);
    const [exchange] = device.exchanges;
    expect(exchange?.command).toBe(`e0041000c9058000002c800000c3800000000000000000000000${rawData}`);
    // the recorded answer is r (32) s (32) recovery id (1, here 00) then 9000: same layout
    expect(exchange?.response).toMatch(/^[0-9a-f]{128}0[01]9000$/);
    expect(signature).toHaveLength(130);
  });

  it('answers the Tron address command of the hw-app-trx tests in the recorded layout', async () => {
    const device = new VirtualLedger({ mnemonic: RECORDED_SEED, app: 'tron' });
    await new Trx(device).getAddress("44'/195'/0'/0/0");
    const [exchange] = device.exchanges;
    expect(exchange?.command).toBe('e002000015058000002c800000c3800000000000000000000000');
    // 0x41 then the 65-byte key, 0x22 then 34 ASCII characters of a T-address, then 9000
    expect(exchange?.response).toMatch(/^4104[0-9a-f]{128}2254([0-9a-f]{2}){33}9000$/);
  });
});

/** Published BIP-44 vectors for the two standard test mnemonics (Ian Coleman's tool, Hardhat). */
const PUBLISHED_ADDRESSES = [
  {
    mnemonic: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    evm: '0x9858EfFD232B4033E47d90003D41EC34EcaEda94',
    tron: 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH',
  },
  {
    mnemonic: 'test test test test test test test test test test test junk',
    evm: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    tron: 'TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6',
  },
];

describe('virtual Ledger against published BIP-44 address vectors', () => {
  it.each(PUBLISHED_ADDRESSES)('$evm / $tron', async ({ mnemonic, evm, tron }) => {
    const device = new VirtualLedger({ mnemonic, app: 'eth' });
    expect((await new Eth(device).getAddress("44'/60'/0'/0/0")).address).toBe(evm);
    device.open('tron');
    expect((await new Trx(device).getAddress("44'/195'/0'/0/0")).address).toBe(tron);
  });
});
