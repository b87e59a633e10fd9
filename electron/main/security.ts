import { safeStorage, session, shell, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { SecretWrapper } from '@engine/operators/operator-service';
import { isAllowedRequest } from './request-filter';
import { isTrustedOrigin } from './trusted-origin';

export { isTrustedOrigin };

/** An IPC call counts only from the top frame of one of our windows, on our page. */
export function isTrustedSender(event: IpcMainInvokeEvent, devServerUrl: string | undefined, rendererFile: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return isTrustedOrigin(frame.url, devServerUrl, rendererFile);
}

export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
  // No remote content: the app's own file (or the dev server), loopback and the PDF viewer only (request-filter.ts).
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url) });
  });
}

export function hardenWindow(window: BrowserWindow, devServerUrl: string | undefined, rendererFile: string): void {
  const contents: WebContents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    // Explorer links open in the user's browser; the app never opens a second window.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedOrigin(url, devServerUrl, rendererFile)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedOrigin(url, devServerUrl, rendererFile)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * The OS keychain as the engine's second wrap of each operator's seed key, where Electron offers a real
 * one. Linux's 'basic_text' backend is a hardcoded key, no protection, so it is not used.
 */
export function osSecretWrapper(): SecretWrapper | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined;
  return {
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'base64'),
  };
}
