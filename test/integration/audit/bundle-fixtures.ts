import { createHash } from 'node:crypto';
import type { BundleManifest } from '@shared/domain/audit';
import type { WalletView } from '@shared/domain/wallets';
import { listTarEntries, readEntryChunks, TarWriter } from '@engine/audit/tar-archive';
import type { Backend } from '@test/backends';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';

export const ASSET = 'polygon:USDT';
/** A real PDF header: the clients area sniffs the type from the content. */
export const KYC_PDF = Buffer.from('%PDF-1.7\nutility bill for the audit test\n%%EOF\n');

export interface PopulatedEngine {
  t: TestEngine;
  wallets: WalletView[];
  clientId: string;
  internalTransferId: number;
}

/** An engine with some history: credits, an internal transfer and its reversal, a posted and a voided hold, a KYC file. */
export async function populatedEngine(backend: Backend = 'sqlite'): Promise<PopulatedEngine> {
  const t = await startUnlockedEngine({ backend });
  const { wallets: walletService, transfers, ledger } = t.engine.services;
  const wallets: WalletView[] = [];
  for (const label of ['alice', 'bob', 'carol']) wallets.push(await walletService.create({ chain: 'polygon', label }));
  const [alice, bob, carol] = wallets as [WalletView, WalletView, WalletView];
  const client = await callOk<{ id: string }>(t.engine, 'clients:create', { legalName: 'Ada Auditor' });
  const issuedOn = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
  await callOk(t.engine, 'clients:kyc:addProofOfAddress', { clientId: client.id, issuedOn, file: KYC_PDF.toString('base64') });
  await transfers.companyCredit({ idempotencyKey: 'credit-alice', walletId: alice.id, assetId: ASSET, amount: 1_000_000n, reason: 'opening balance' });
  await transfers.companyCredit({ idempotencyKey: 'credit-bob', walletId: bob.id, assetId: ASSET, amount: 500_000n, reason: 'opening balance' });
  const internal = await transfers.internalTransfer({ idempotencyKey: 'alice-to-carol', fromWalletId: alice.id, toWalletId: carol.id, assetId: ASSET, amount: 250_000n });
  const bobToCarol = await transfers.internalTransfer({ idempotencyKey: 'bob-to-carol', fromWalletId: bob.id, toWalletId: carol.id, assetId: ASSET, amount: 20_000n });
  // Given to its (draft) client after its history: a client's wallet moves money only once the client is verified.
  await callOk(t.engine, 'clients:wallets:associate', { clientId: client.id, walletId: alice.id });
  const held = await transfers.hold({ idempotencyKey: 'hold-bob-1', walletId: bob.id, assetId: ASSET, amount: 100_000n, purpose: 'withdrawal', causeId: 'wd-1' });
  await transfers.postHold(held.transfer, 'post-bob-1');
  const voided = await transfers.hold({ idempotencyKey: 'hold-bob-2', walletId: bob.id, assetId: ASSET, amount: 50_000n, purpose: 'withdrawal', causeId: 'wd-2' });
  await transfers.voidHold(voided.transfer, 'void-bob-2');
  await ledger.reverse(bobToCarol.transfer.id, { idempotencyKey: 'reverse-bob-to-carol', code: 'correction', memo: 'sent to the wrong wallet' });
  return { t, wallets, clientId: client.id, internalTransferId: internal.transfer.id };
}

/** Every part of a bundle, in archive order. */
export async function readBundle(file: string): Promise<Array<{ name: string; content: Buffer }>> {
  const parts = [];
  for (const entry of listTarEntries(file)) {
    const chunks: Buffer[] = [];
    for await (const chunk of readEntryChunks(file, entry)) chunks.push(chunk);
    parts.push({ name: entry.name, content: Buffer.concat(chunks) });
  }
  return parts;
}

/**
 * Writes a tampered copy of a bundle. With `fixManifest` the attacker also rewrites the manifest's hashes,
 * as anyone holding the file can: the deeper checks must still catch it.
 */
export async function tamper(
  source: string,
  target: string,
  change: (parts: Array<{ name: string; content: Buffer }>) => void,
  options: { fixManifest?: boolean; manifest?: (m: BundleManifest) => void } = {},
): Promise<void> {
  const parts = await readBundle(source);
  change(parts);
  const manifestPart = parts.find((p) => p.name === 'manifest.json')!;
  if (options.fixManifest || options.manifest) {
    const manifest = JSON.parse(manifestPart.content.toString('utf8')) as BundleManifest;
    if (options.fixManifest) {
      manifest.parts = manifest.parts.map((p) => {
        const content = parts.find((x) => x.name === p.name)!.content;
        return { ...p, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
      });
    }
    options.manifest?.(manifest);
    manifestPart.content = Buffer.from(JSON.stringify(manifest, null, 2));
  }
  const writer = new TarWriter(target);
  for (const part of parts) writer.add(part.name, part.content);
  writer.close();
}

/** Edits the JSON-lines part `name` line by line. */
export function editLines(parts: Array<{ name: string; content: Buffer }>, name: string, edit: (rows: Array<Record<string, unknown>>) => Array<Record<string, unknown>>): void {
  const part = parts.find((p) => p.name === name)!;
  const rows = part.content.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  part.content = Buffer.from(edit(rows).map((r) => `${JSON.stringify(r)}\n`).join(''));
}
