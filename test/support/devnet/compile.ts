/**
 * Rebuilds test/support/devnet/TestToken.json from contracts/TestToken.sol with solc-js.
 * The artifact is committed so tests start anvil without paying for a compile; evm.ts refuses a stale one.
 * Run: npx tsx test/support/devnet/compile.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import solc from 'solc';
import { TEST_TOKEN_SOURCE, testTokenSourceSha256 } from './contracts/source';

const artifactPath = fileURLToPath(new URL('./TestToken.json', import.meta.url));

export interface TestTokenArtifact {
  contractName: 'TestToken';
  compiler: string;
  /** sha256 of the .sol source the bytecode was built from, hex */
  sourceSha256: string;
  abi: unknown[];
  bytecode: string;
}

export function compileTestToken(): TestTokenArtifact {
  const input = {
    language: 'Solidity',
    sources: { 'TestToken.sol': { content: readFileSync(TEST_TOKEN_SOURCE, 'utf8') } },
    settings: {
      // shanghai: supported by Polygon PoS and BNB Chain mainnets as well as anvil
      evmVersion: 'shanghai',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { TestToken: ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const contract = output.contracts?.['TestToken.sol']?.['TestToken'];
  if (!contract) throw new Error('solc produced no TestToken contract');
  return {
    contractName: 'TestToken',
    compiler: solc.version(),
    sourceSha256: testTokenSourceSha256(),
    abi: contract.abi,
    bytecode: `0x${contract.evm.bytecode.object}`,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const artifact = compileTestToken();
  writeFileSync(artifactPath, `${JSON.stringify(artifact, null, 2)}\n`);
  console.log(`wrote ${artifactPath} (${(artifact.bytecode.length - 2) / 2} bytes, solc ${artifact.compiler})`);
}
