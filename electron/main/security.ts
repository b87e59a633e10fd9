import { session, shell, type BrowserWindow, type WebContents } from 'electron';

/** Only pages we loaded ourselves may call the api: the packaged file or the dev server. */
export function isTrustedOrigin(url: string, devServerUrl: string | undefined): boolean {
  if (url.startsWith('file://')) return true;
  return devServerUrl !== undefined && url.startsWith(devServerUrl);
}

export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function hardenWindow(window: BrowserWindow, devServerUrl: string | undefined): void {
  const contents: WebContents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    // Explorer links open in the user's browser; the app never opens a second window.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedOrigin(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
