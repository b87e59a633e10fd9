import { create } from 'zustand';
import type { Asset } from '@shared/domain/assets';
import type { AppError } from '@shared/result';
import { treasury } from '../api';

interface AssetState {
  /** By asset id; decimals always come from here (the engine's registry), never from what was typed. */
  byId: Record<string, Asset>;
  list: Asset[];
  loaded: boolean;
  error: AppError | null;
  load(): Promise<void>;
}

export const useAssets = create<AssetState>((set) => ({
  byId: {},
  list: [],
  loaded: false,
  error: null,
  async load() {
    const result = await treasury.configuration.assets({});
    if (!result.ok) {
      set({ error: result.error });
      return;
    }
    const byId: Record<string, Asset> = {};
    for (const asset of result.data) byId[asset.id] = asset;
    set({ byId, list: result.data, loaded: true, error: null });
  },
}));
