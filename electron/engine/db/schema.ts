import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Written once, read forever: the compiler refuses an update of these columns. */
export type Immutable<T> = ColumnType<T, T, never>;

export interface SettingsTable {
  key: string;
  /** JSON text */
  value: string;
  updated_at: string;
}

export interface Database {
  settings: SettingsTable;
}

export type SettingRow = Selectable<SettingsTable>;
export type NewSetting = Insertable<SettingsTable>;
export type SettingUpdate = Updateable<SettingsTable>;
export type { Generated };
