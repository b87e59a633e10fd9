import { app, BrowserWindow, dialog, ipcMain, shell } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '@engine/engine';
import type { HoldingSignerConfig } from '@engine/withdraw';
import { WorkspaceSwitcher } from '@engine/workspace/workspace-switcher';
import { NETWORK_PROFILES, type NetworkProfile } from '@shared/domain/chains';
import { openAuditSnapshot } from '@engine/audit/offline-review';
import { defaultHome } from '@engine/home';
import { nodeHidDeviceWatcher, nodeHidTransportFactory } from '@engine/signer/transport';
import { startDepositWatchAndSweeps } from '@engine/watch/background';
import { allChannels } from '@shared/ipc/contract';
import { EVENTS_CHANNEL, type EngineEvent } from '@shared/ipc/events';
import { SHOW_IN_FOLDER_CHANNEL } from '@shared/ipc/desktop';
import { takeSessionToken } from '@shared/ipc/session';
import { fail } from '@shared/result';
import { consoleLog } from '@engine/log';
import { EngineSupervisor } from './engine-supervisor';
import { useSqliteNativeBinding } from '@engine/db/sqlite-binding';
import { chooseSqliteBinding } from './native-binding';
import { notifyAlertsOnDesktop } from './desktop-notifications';
import { hardenSession, hardenWindow, isTrustedSender, osSecretWrapper } from './security';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
/** What a window reaches: the offline snapshot, or the workspaces (whichever network's engine is open). */
type Door = Pick<Engine, 'api' | 'events' | 'close'>;
let engine: Door | undefined;
let supervisor: EngineSupervisor<WorkspaceSwitcher> | undefined;
/** The open workspace's network, for window titles; undefined in the offline review of a bundle. */
let currentNetwork: (() => NetworkProfile) | undefined;

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

/** The desktop's own comfort: an export shown in the file manager, once the engine vouched it is this workspace's export. */
function registerDesktopIpc(): void {
  ipcMain.handle(SHOW_IN_FOLDER_CHANNEL, async (event, file: unknown) => {
    if (!isTrustedSender(event, devServerUrl, rendererFile)) return fail('forbidden', 'Calls are accepted only from the app window.');
    if (!engine) return fail('internal', 'The engine is restarting after an unexpected error; try again in a moment.');
    const located = await engine.api.call('audit:readExport', { file, content: false }, { door: 'electron', session: windowSessions.get(event.sender.id) });
    if (!located.ok) return located;
    shell.showItemInFolder((located.data as { file: string }).file);
    return { ok: true, data: { shown: true } };
  });
}

async function signOutWindow(contentsId: number): Promise<void> {
  const session = windowSessions.get(contentsId);
  windowSessions.delete(contentsId);
  if (session) await engine?.api.call('system:signOut', {}, { door: 'electron', session });
}

function createWindow(activeEngine: Door): BrowserWindow {
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
      // Chromium's own PDF viewer (the only plugin Electron has), for KYC scans previewed from a blob URL.
      plugins: true,
    },
  });
  hardenWindow(window, devServerUrl, rendererFile);
  window.once('ready-to-show', () => window.show());
  // The network is in the title of every window, so a mainnet window never passes for a test one.
  window.setTitle(windowTitle());
  window.on('page-title-updated', (event) => {
    event.preventDefault();
    window.setTitle(windowTitle());
  });
  forwardEvents(window, activeEngine);
  window.on('closed', () => windowEvents.get(window)?.());
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererFile);
  return window;
}

/** Each window's subscription to its engine's events, replaced when the engine is rebuilt. */
const windowEvents = new WeakMap<BrowserWindow, () => void>();
function forwardEvents(window: BrowserWindow, activeEngine: Door): void {
  windowEvents.get(window)?.();
  windowEvents.set(
    window,
    activeEngine.events.subscribe((event) => {
      if (window.isDestroyed()) return;
      // Another workspace's engine has no session of this window's: sign-in starts again there.
      if (event.type === 'workspace.switched') {
        windowSessions.delete(window.webContents.id);
        window.setTitle(windowTitle());
      }
      window.webContents.send(EVENTS_CHANNEL, event);
    }),
  );
}

function windowTitle(): string {
  return currentNetwork ? `Treasury — ${currentNetwork().toUpperCase()}` : 'Treasury — audit snapshot';
}

/** After a rebuild: every window follows the new engine, its operator signs in again, and is told why. */
function engineRestarted(next: Door): void {
  engine = next;
  notifyAlertsOnDesktop(next.events);
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

/**
 * The Ledger over USB; on devnet in an unpackaged app with TREASURY_LEDGER=virtual (the Electron test
 * suite), the virtual Ledger from its own build entry, which the package does not carry.
 */
async function holdingSigner(network: NetworkProfile): Promise<HoldingSignerConfig> {
  if (network !== 'devnet' || app.isPackaged || process.env.TREASURY_LEDGER !== 'virtual') {
    return { openTransport: nodeHidTransportFactory(), watchDevices: nodeHidDeviceWatcher() };
  }
  const entry = './devnet-signer.js';
  const { devnetVirtualSigner } = (await import(/* @vite-ignore */ entry)) as typeof import('./devnet-virtual-signer');
  return devnetVirtualSigner();
}


app.enableSandbox();
app.whenReady().then(async () => {
  // better-sqlite3 built for Electron's ABI, not the Node build in node_modules the tests use
  const sqlite = chooseSqliteBinding({
    electronVersion: process.versions.electron,
    abi: process.versions.modules,
    appPath: app.getAppPath(),
    exists: existsSync,
    readFile: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null),
  });
  if (sqlite.kind === 'missing') {
    dialog.showErrorBox('Treasury cannot open its database', sqlite.reason);
    app.exit(1);
    return;
  }
  useSqliteNativeBinding(sqlite.kind === 'electron-build' ? sqlite.path : undefined);
  hardenSession();
  // `--bundle FILE`: offline review of an audit bundle, read-only; the window talks to the snapshot through
  // the same api and events an engine offers (the snapshot answers nothing else).
  const bundleAt = process.argv.indexOf('--bundle');
  if (bundleAt !== -1) {
    const snapshot = await openAuditSnapshot(process.argv[bundleAt + 1] ?? '');
    engine = snapshot;
    registerIpc();
    createWindow(snapshot);
    return;
  }
  // One workspace per network (workspace-switcher.ts); the supervisor rebuilds it after an uncaught error
  // (engine-supervisor.ts), reopening the network that was open.
  const profileEnv = process.env.TREASURY_PROFILE;
  let network: NetworkProfile | undefined = NETWORK_PROFILES.includes(profileEnv as NetworkProfile) ? (profileEnv as NetworkProfile) : undefined;
  supervisor = new EngineSupervisor<WorkspaceSwitcher>({
    start: async () => {
      const switcher = new WorkspaceSwitcher(
        async (workspaceNetwork, home, door) =>
          createEngine({
            home,
            network: workspaceNetwork,
            workspace: door,
            host: 'electron',
            role: 'app',
            version: app.getVersion(),
            osSecretWrapper: osSecretWrapper(),
            signer: await holdingSigner(workspaceNetwork),
          }),
        {
          root: process.env.TREASURY_HOME ?? defaultHome(),
          ...(network ? { network } : {}),
          onOpened: (opened, openedNetwork) => {
            network = openedNetwork;
            startDepositWatchAndSweeps(opened);
          },
          log: consoleLog,
        },
      );
      await switcher.start();
      currentNetwork = () => switcher.currentNetwork;
      return switcher;
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
  notifyAlertsOnDesktop(engine.events);
  registerDesktopIpc();
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
