import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '@engine/engine';
import { openAuditSnapshot } from '@engine/audit/offline-review';
import { defaultHome } from '@engine/home';
import { nodeHidTransportFactory } from '@engine/signer/transport';
import { startDepositWatchAndSweeps } from '@engine/watch/background';
import { allChannels } from '@shared/ipc/contract';
import { EVENTS_CHANNEL, type EngineEvent } from '@shared/ipc/events';
import { takeSessionToken } from '@shared/ipc/session';
import { fail } from '@shared/result';
import { consoleLog } from '@engine/log';
import { EngineSupervisor } from './engine-supervisor';
import { hardenSession, hardenWindow, isTrustedSender, osSecretWrapper } from './security';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
let engine: Engine | undefined;
let supervisor: EngineSupervisor<Engine> | undefined;

/**
 * One operator session per window, kept here in main: the page never sees the token. A sign-in's answer
 * is stripped of it; a closed window signs its operator out.
 */
const windowSessions = new Map<number, string>();

function registerIpc(): void {
  for (const { name } of allChannels()) {
    ipcMain.handle(name, async (event, payload: unknown) => {
      if (!isTrustedSender(event, devServerUrl, rendererFile)) return fail('forbidden', 'Calls are accepted only from the app window.');
      // Read per call: after a crash the supervisor puts a new engine here.
      const activeEngine = engine;
      if (!activeEngine) return fail('internal', 'The engine is restarting after an unexpected error; try again in a moment.');
      const contents = event.sender;
      const result = await activeEngine.api.call(name, payload, { door: 'electron', session: windowSessions.get(contents.id) });
      const token = takeSessionToken(result);
      if (token) {
        const previous = windowSessions.get(contents.id);
        if (previous === undefined) contents.once('destroyed', () => void signOutWindow(contents.id));
        else if (previous !== token) void activeEngine.api.call('system:signOut', {}, { door: 'electron', session: previous });
        windowSessions.set(contents.id, token);
      } else if (name === 'system:signOut') windowSessions.delete(contents.id);
      return result;
    });
  }
}

async function signOutWindow(contentsId: number): Promise<void> {
  const session = windowSessions.get(contentsId);
  windowSessions.delete(contentsId);
  if (session) await engine?.api.call('system:signOut', {}, { door: 'electron', session });
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
  forwardEvents(window, activeEngine);
  window.on('closed', () => windowEvents.get(window)?.());
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererFile);
  return window;
}

/** Each window's subscription to its engine's events, replaced when the engine is rebuilt. */
const windowEvents = new WeakMap<BrowserWindow, () => void>();
function forwardEvents(window: BrowserWindow, activeEngine: Engine): void {
  windowEvents.get(window)?.();
  windowEvents.set(
    window,
    activeEngine.events.subscribe((event) => {
      if (!window.isDestroyed()) window.webContents.send(EVENTS_CHANNEL, event);
    }),
  );
}

/** After a rebuild: every window follows the new engine, its operator signs in again, and is told why. */
function engineRestarted(next: Engine): void {
  engine = next;
  windowSessions.clear();
  for (const window of BrowserWindow.getAllWindows()) {
    forwardEvents(window, next);
    window.webContents.send(EVENTS_CHANNEL, { type: 'engine.restarted' } satisfies EngineEvent);
  }
}

function engineGaveUp(): void {
  engine = undefined;
  for (const window of BrowserWindow.getAllWindows()) window.webContents.send(EVENTS_CHANNEL, { type: 'engine.stopped' } satisfies EngineEvent);
}

app.enableSandbox();
app.whenReady().then(async () => {
  hardenSession();
  // `--bundle FILE`: offline review of an audit bundle, read-only; the window talks to the snapshot through
  // the same api and events an engine offers (the snapshot answers nothing else).
  const bundleAt = process.argv.indexOf('--bundle');
  if (bundleAt !== -1) {
    engine = (await openAuditSnapshot(process.argv[bundleAt + 1] ?? '')) as unknown as Engine;
    registerIpc();
    createWindow(engine);
    return;
  }
  // The supervisor rebuilds the engine after an uncaught error (engine-supervisor.ts).
  supervisor = new EngineSupervisor<Engine>({
    start: async () => {
      const started = await createEngine({
        home: process.env.TREASURY_HOME ?? defaultHome(),
        host: 'electron',
        role: 'app',
        version: app.getVersion(),
        osSecretWrapper: osSecretWrapper(),
        signer: { openTransport: nodeHidTransportFactory() },
      });
      startDepositWatchAndSweeps(started);
      return started;
    },
    stop: (old) => old.close(),
    onRestarted: engineRestarted,
    onGaveUp: engineGaveUp,
    log: consoleLog,
  });
  try {
    engine = await supervisor.start();
  } catch (error) {
    // Typically the data folder is in use by another Treasury process, which the message names.
    dialog.showErrorBox('Treasury cannot start', error instanceof Error ? error.message : String(error));
    app.quit();
    return;
  }
  registerIpc();
  createWindow(engine);
  app.on('activate', () => {
    if (engine && BrowserWindow.getAllWindows().length === 0) createWindow(engine);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void (supervisor ? supervisor.dispose() : engine?.close());
});
