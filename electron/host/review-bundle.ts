import { resolve } from 'node:path';
import type { Engine } from '@engine/engine';
import { openAuditSnapshot } from '@engine/audit/offline-review';
import { startHost } from './server';

/**
 * `npm run host -- --bundle FILE`: offline review. No data folder, no seed, no chain endpoint: the host
 * serves the read channels from the bundle (verified first) and refuses everything else.
 */
export async function reviewBundle(file: string, rendererDir: string): Promise<void> {
  const snapshot = await openAuditSnapshot(resolve(file));
  const { verification } = snapshot;
  console.log(`Offline review of ${snapshot.mode.file} (exported ${snapshot.mode.createdAt}, ${snapshot.mode.profile} profile).`);
  console.log(`manifest sha256 ${snapshot.mode.manifestSha256}; audit head ${snapshot.mode.auditHead.seq}:${snapshot.mode.auditHead.hash}`);
  console.log(verification.ok ? 'Verification passed.' : `VERIFICATION FAILED: ${verification.findingsTotal} finding(s); first: ${verification.findings[0]?.message}`);
  // The host reaches an engine only through `api` and `events`, which the snapshot answers the same way.
  const host = await startHost({
    engine: snapshot as unknown as Engine,
    rendererDir,
    port: process.env.TREASURY_PORT ? Number.parseInt(process.env.TREASURY_PORT, 10) : 0,
  });
  console.log(`Treasury is serving the snapshot read-only. Open: ${host.openUrl}`);
  const stop = async () => {
    await host.close();
    await snapshot.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
