import type { NetworkProfile } from '@shared/domain/chains';
import type { WorkspaceView } from '@shared/domain/workspaces';
import { NETWORK_PROFILES } from '@shared/domain/chains';
import { fail } from '@shared/result';
import type { Dispatcher } from '../api/dispatch';
import type { Engine } from '../engine';
import { EventBus } from '../events';
import { migrateLegacyFolder, readFolderState, workspaceExists, workspaceHome, writeFolderState } from './data-folder';

/** What an engine knows of the door that opened it: its workspace view, and how to ask for another network. */
export interface WorkspaceDoor {
  /** What a database from before workspaces started on: the network asked for at start, else devnet (the old default). */
  legacyProfile: NetworkProfile;
  view(): WorkspaceView;
  /** Closes this workspace's engine and opens the network's (after the current call has answered). */
  switchTo(network: NetworkProfile): void;
}

/** Builds the engine of one network's workspace: the door decides its signer (a real Ledger, or the devnet's). */
export type WorkspaceOpener = (network: NetworkProfile, home: string, door: WorkspaceDoor) => Promise<Engine>;

export interface WorkspaceSwitcherOptions {
  /** The data folder holding every workspace. */
  root: string;
  /** A network asked for at start (TREASURY_PROFILE); else the one opened last; else devnet. */
  network?: NetworkProfile;
  /** After a workspace's engine opened (the doors start its chain loops here). */
  onOpened?: (engine: Engine, network: NetworkProfile) => void;
  log?: (message: string, error?: unknown) => void;
}

/**
 * The doors' one engine at a time: each network's workspace is its own engine on its own folder, and changing
 * network closes one and opens the other. `api` and `events` stay the same objects across a switch, so a window
 * or the host keeps talking to whichever workspace is open; calls made while one closes are refused in words.
 */
export class WorkspaceSwitcher {
  readonly events = new EventBus();
  readonly api: Dispatcher;
  private engine: Engine | null = null;
  private network: NetworkProfile = 'devnet';
  private notice: string | null = null;
  private unsubscribe: () => void = () => {};
  private switching: Promise<void> | null = null;

  constructor(
    private readonly open: WorkspaceOpener,
    private readonly options: WorkspaceSwitcherOptions,
  ) {
    const switcher = this;
    this.api = {
      get channels() {
        return switcher.engine?.api.channels ?? [];
      },
      call: async (channel, payload, context) => {
        const engine = this.engine;
        if (!engine || this.switching) return fail('locked', `Opening the ${this.network} workspace; try again in a moment.`);
        return engine.api.call(channel, payload, context);
      },
    };
  }

  get current(): Engine {
    if (!this.engine) throw new Error('No workspace is open.');
    return this.engine;
  }

  get currentNetwork(): NetworkProfile {
    return this.network;
  }

  async start(): Promise<Engine> {
    const { root } = this.options;
    const migrated = await migrateLegacyFolder(root, this.options.network ?? 'devnet');
    const state = readFolderState(root);
    this.notice = migrated?.notice ?? state?.notice ?? null;
    const network = this.options.network ?? migrated?.network ?? state?.current ?? 'devnet';
    await this.openWorkspace(network);
    return this.current;
  }

  view(): WorkspaceView {
    return {
      network: this.network,
      workspaces: NETWORK_PROFILES.map((network) => ({
        network,
        exists: network === this.network || workspaceExists(this.options.root, network),
        current: network === this.network,
      })),
      notice: this.notice,
    };
  }

  /** Closes the open workspace and opens the network's; a failure reopens the one that was open. */
  switchTo(network: NetworkProfile): Promise<void> {
    if (this.switching) return this.switching;
    const previous = this.network;
    this.switching = (async () => {
      await this.closeEngine();
      try {
        await this.openWorkspace(network);
      } catch (error) {
        this.options.log?.(`Opening the ${network} workspace failed; reopening ${previous}`, error);
        await this.openWorkspace(previous);
      }
    })().finally(() => {
      this.switching = null;
      this.events.publish({ type: 'workspace.switched', network: this.network });
    });
    return this.switching;
  }

  async close(): Promise<void> {
    await this.switching;
    await this.closeEngine();
  }

  private async openWorkspace(network: NetworkProfile): Promise<void> {
    const door: WorkspaceDoor = {
      legacyProfile: this.options.network ?? 'devnet',
      view: () => this.view(),
      // After the call that asked has answered: the engine it runs in is the one being closed.
      switchTo: (next) => void setTimeout(() => void this.switchTo(next).catch((error) => this.options.log?.('Switching workspace failed', error)), 50),
    };
    const engine = await this.open(network, workspaceHome(this.options.root, network), door);
    this.engine = engine;
    this.network = network;
    this.unsubscribe = engine.events.subscribe((event) => this.events.publish(event));
    writeFolderState(this.options.root, { current: network, notice: this.notice });
    this.options.onOpened?.(engine, network);
  }

  private async closeEngine(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.unsubscribe();
    this.unsubscribe = () => {};
    await engine?.close();
  }
}
