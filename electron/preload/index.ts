import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { contract } from '@shared/ipc/contract';
import { EVENTS_CHANNEL, type EngineEvent } from '@shared/ipc/events';
import type { TreasuryApi } from '@shared/ipc/bridge';
import { SHOW_IN_FOLDER_CHANNEL, type TreasuryDesktop } from '@shared/ipc/desktop';

/**
 * One named method per contract channel, and nothing else: the renderer never gets ipcRenderer or a
 * generic invoke, so it can reach exactly the channels the contract lists.
 */
function buildApi(): TreasuryApi {
  const api: Record<string, unknown> = {};
  for (const [area, methods] of Object.entries(contract)) {
    const areaApi: Record<string, (request: unknown) => Promise<unknown>> = {};
    for (const [method, { name }] of Object.entries(methods as Record<string, { name: string }>)) {
      areaApi[method] = (request: unknown) => ipcRenderer.invoke(name, request);
    }
    api[area] = Object.freeze(areaApi);
  }
  api.onEvent = (listener: (event: EngineEvent) => void) => {
    const forward = (_event: IpcRendererEvent, payload: EngineEvent) => listener(payload);
    ipcRenderer.on(EVENTS_CHANNEL, forward);
    return () => ipcRenderer.removeListener(EVENTS_CHANNEL, forward);
  };
  return Object.freeze(api) as TreasuryApi;
}

contextBridge.exposeInMainWorld('treasury', buildApi());
contextBridge.exposeInMainWorld('treasuryDesktop', Object.freeze({ showInFolder: (file: string) => ipcRenderer.invoke(SHOW_IN_FOLDER_CHANNEL, file) }) satisfies TreasuryDesktop);
