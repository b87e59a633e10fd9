import type { BackupSettings } from '@shared/domain/backups';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Which backups a folder keeps: the newest of each hour for `keepHourlyHours`, of each (UTC) day for
 * `keepDailyDays`, of each month for `keepMonthlyMonths`, every backup of the last hour (a manual backup is
 * not replaced minutes later by the next one) and always the newest of all. Returns the names to delete;
 * `backups` are names with the time each was made.
 */
export function backupsToDelete(backups: ReadonlyArray<{ name: string; createdAt: string }>, settings: Pick<BackupSettings, 'keepHourlyHours' | 'keepDailyDays' | 'keepMonthlyMonths'>, now: Date): string[] {
  const sorted = [...backups].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const keep = new Set<string>();
  if (sorted[0]) keep.add(sorted[0].name);
  for (const backup of sorted) if (now.getTime() - Date.parse(backup.createdAt) < HOUR) keep.add(backup.name);
  const monthsAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - settings.keepMonthlyMonths + 1, 1)).getTime();
  const rules: Array<{ since: number; bucket: (d: Date) => string }> = [
    { since: now.getTime() - settings.keepHourlyHours * HOUR, bucket: (d) => d.toISOString().slice(0, 13) },
    { since: now.getTime() - settings.keepDailyDays * DAY, bucket: (d) => d.toISOString().slice(0, 10) },
    { since: monthsAgo, bucket: (d) => d.toISOString().slice(0, 7) },
  ];
  for (const rule of rules) {
    const seen = new Set<string>();
    for (const backup of sorted) {
      const at = new Date(backup.createdAt);
      if (at.getTime() < rule.since) continue;
      const bucket = rule.bucket(at);
      if (seen.has(bucket)) continue;
      seen.add(bucket);
      keep.add(backup.name);
    }
  }
  return sorted.filter((b) => !keep.has(b.name)).map((b) => b.name);
}
