import { app, BrowserWindow, ipcMain } from 'electron';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '@engine/engine';
import { defaultHome } from '@engine/home';
import { nodeHidTransportFactory } from '@engine/signer/transport';
import { startDepositWatchAndSweeps } from '@engine/watch/background';
import { allChannels } from '@shared/ipc/contract';
import { EVENTS_CHANNEL } from '@shared/ipc/events';
import { fail } from '@shared/result';
import { hardenSession, hardenWindow, isTrustedOrigin } from './security';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
let engine: Engine | undefined;

function registerIpc(activeEngine: Engine): void {
  for (const { name } of allChannels()) {
    ipcMain.handle(name, async (event, payload: unknown) => {
      const origin = event.senderFrame?.url ?? '';
      if (!isTrustedOrigin(origin, devServerUrl)) return fail('forbidden', 'Calls are accepted only from the app window.');
      return activeEngine.api.call(name, payload, { door: 'electron' });
    });
  }
}

function createWindow(activeEngine: Engine): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    show: false,
    title: 'Treasury',
    backgroundColor: '#0f172a',
    webPreferences: {
      preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  hardenWindow(window, devServerUrl);
  window.once('ready-to-show', () => window.show());
  const unsubscribe = activeEngine.events.subscribe((event) => {
    if (!window.isDestroyed()) window.webContents.send(EVENTS_CHANNEL, event);
  });
  window.on('closed', unsubscribe);
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(fileURLToPath(new URL('../renderer/index.html', import.meta.url)));
  return window;
}

app.enableSandbox();
app.whenReady().then(async () => {
  hardenSession();
  engine = await createEngine({
    home: process.env.TREASURY_HOME ?? defaultHome(),
    host: 'electron',
    version: app.getVersion(),
    signer: { openTransport: nodeHidTransportFactory() },
  });
  startDepositWatchAndSweeps(engine);
  registerIpc(engine);
  createWindow(engine);
  app.on('activate', () => {
    if (engine && BrowserWindow.getAllWindows().length === 0) createWindow(engine);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void engine?.close();
});
