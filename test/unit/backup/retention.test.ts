import { describe, expect, it } from 'vitest';
import { backupsToDelete } from '@engine/backup/retention';

const NOW = new Date('2026-12-03T12:30:00Z');
const RULES = { keepHourlyHours: 48, keepDailyDays: 30, keepMonthlyMonths: 12 };
const at = (iso: string) => ({ name: iso, createdAt: iso });

describe('backup retention', () => {
  it.each([
    { name: 'every backup of the last hour stays', backups: ['2026-12-03T12:25:00Z', '2026-12-03T12:05:00Z', '2026-12-03T11:45:00Z'], deleted: [] },
    { name: 'the newest of each older hour within two days', backups: ['2026-12-03T10:50:00Z', '2026-12-03T10:10:00Z', '2026-12-02T09:40:00Z'], deleted: ['2026-12-03T10:10:00Z'] },
    { name: 'the newest of each day within 30 days', backups: ['2026-11-20T23:00:00Z', '2026-11-20T08:00:00Z', '2026-11-19T08:00:00Z'], deleted: ['2026-11-20T08:00:00Z'] },
    { name: 'the newest of each month within 12 months', backups: ['2026-03-28T00:00:00Z', '2026-03-02T00:00:00Z', '2026-01-15T00:00:00Z'], deleted: ['2026-03-02T00:00:00Z'] },
    { name: 'older than 12 months goes', backups: ['2026-12-03T12:00:00Z', '2025-11-30T00:00:00Z'], deleted: ['2025-11-30T00:00:00Z'] },
    { name: 'the newest of all stays however old', backups: ['2024-01-01T00:00:00Z'], deleted: [] },
  ])('$name', ({ backups, deleted }) => {
    expect(backupsToDelete(backups.map(at), RULES, NOW).sort()).toEqual([...deleted].sort());
  });

  it('keeps fewer when the settings say so', () => {
    const backups = ['2026-12-03T10:00:00Z', '2026-12-02T10:00:00Z', '2026-12-01T10:00:00Z'].map(at);
    expect(backupsToDelete(backups, { keepHourlyHours: 0, keepDailyDays: 1, keepMonthlyMonths: 0 }, NOW).sort()).toEqual(['2026-12-01T10:00:00Z', '2026-12-02T10:00:00Z']);
  });
});
