import { create } from 'zustand';
import type { KycStatus } from '@shared/domain/clients';

/** Which client the Clients screen shows (null is the list) and the list's filters, kept across visits. */
interface ClientScreenState {
  clientId: string | null;
  kycStatus: KycStatus | '';
  search: string;
  open(clientId: string): void;
  back(): void;
  filter(change: { kycStatus?: KycStatus | ''; search?: string }): void;
}

export const useClientScreen = create<ClientScreenState>((set) => ({
  clientId: null,
  kycStatus: '',
  search: '',
  open: (clientId) => set({ clientId }),
  back: () => set({ clientId: null }),
  filter: (change) => set(change),
}));
