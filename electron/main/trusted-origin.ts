/**
 * Only pages we loaded ourselves may call the api: the packaged index.html (exactly that file) or the dev
 * server's origin (compared as an origin, so http://localhost:51730 is not http://localhost:5173).
 * No 'electron' import here, so plain Node tests can check it.
 */
export function isTrustedOrigin(url: string, devServerUrl: string | undefined, rendererFile?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    if (parsed.host !== '' || parsed.search !== '') return false;
    return rendererFile === undefined || decodeURIComponent(parsed.pathname) === rendererFile;
  }
  if (devServerUrl === undefined) return false;
  try {
    return parsed.origin === new URL(devServerUrl).origin;
  } catch {
    return false;
  }
}
