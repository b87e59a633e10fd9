import { app, BrowserWindow, ipcMain } from 'electron';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '@engine/engine';
import { openAuditSnapshot } from '@engine/audit/offline-review';
import { defaultHome } from '@engine/home';
import { nodeHidTransportFactory } from '@engine/signer/transport';
import { startDepositWatchAndSweeps } from '@engine/watch/background';
import { allChannels } from '@shared/ipc/contract';
import { EVENTS_CHANNEL } from '@shared/ipc/events';
import { takeSessionToken } from '@shared/ipc/session';
import { fail } from '@shared/result';
import { hardenSession, hardenWindow, isTrustedSender, osSecretWrapper } from './security';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
let engine: Engine | undefined;

/**
 * One operator session per window, kept here in main: the page never sees the token. A sign-in's answer
 * is stripped of it; a closed window signs its operator out.
 */
const windowSessions = new Map<number, string>();

function registerIpc(activeEngine: Engine): void {
  for (const { name } of allChannels()) {
    ipcMain.handle(name, async (event, payload: unknown) => {
      if (!isTrustedSender(event, devServerUrl, rendererFile)) return fail('forbidden', 'Calls are accepted only from the app window.');
      const contents = event.sender;
      const result = await activeEngine.api.call(name, payload, { door: 'electron', session: windowSessions.get(contents.id) });
      const token = takeSessionToken(result);
      if (token) {
        const previous = windowSessions.get(contents.id);
        if (previous === undefined) contents.once('destroyed', () => void signOutWindow(activeEngine, contents.id));
        else if (previous !== token) void activeEngine.api.call('system:signOut', {}, { door: 'electron', session: previous });
        windowSessions.set(contents.id, token);
      } else if (name === 'system:signOut') windowSessions.delete(contents.id);
      return result;
    });
  }
}

async function signOutWindow(activeEngine: Engine, contentsId: number): Promise<void> {
  const session = windowSessions.get(contentsId);
  windowSessions.delete(contentsId);
  if (session) await activeEngine.api.call('system:signOut', {}, { door: 'electron', session });
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
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenWindow(window, devServerUrl, rendererFile);
  window.once('ready-to-show', () => window.show());
  const unsubscribe = activeEngine.events.subscribe((event) => {
    if (!window.isDestroyed()) window.webContents.send(EVENTS_CHANNEL, event);
  });
  window.on('closed', unsubscribe);
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererFile);
  return window;
}

app.enableSandbox();
app.whenReady().then(async () => {
  hardenSession();
  // `--bundle FILE`: offline review of an audit bundle, read-only; the window talks to the snapshot through
  // the same api and events an engine offers (the snapshot answers nothing else).
  const bundleAt = process.argv.indexOf('--bundle');
  if (bundleAt !== -1) {
    engine = (await openAuditSnapshot(process.argv[bundleAt + 1] ?? '')) as unknown as Engine;
    registerIpc(engine);
    createWindow(engine);
    return;
  }
  engine = await createEngine({
    home: process.env.TREASURY_HOME ?? defaultHome(),
    host: 'electron',
    role: 'app',
    version: app.getVersion(),
    osSecretWrapper: osSecretWrapper(),
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
