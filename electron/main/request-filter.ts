/**
 * Which requests a window of the app may make: its own file (or the dev server), in-memory data and blob URLs,
 * loopback, and Chromium's built-in PDF viewer, which shows a KYC scan inside the app (a blob: PDF in a frame
 * is drawn by that component extension at chrome-extension://<its id>/ with shared chrome://resources/).
 * Anything else, another extension or any remote host included, is cancelled. (Those two are exactly what a
 * blocking filter stops the viewer loading: electron/electron#50729.) No 'electron' import here, so plain Node
 * tests can check it.
 */
export const PDF_VIEWER_EXTENSION_ID = 'mhjfbmdgcfjbbpaeojofohoefgiehjai';

const LOOPBACK = /^(https?|wss?):\/\/(127\.0\.0\.1|localhost)(:\d+)?\//;

export function isAllowedRequest(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  switch (parsed.protocol) {
    case 'file:':
    case 'devtools:':
    case 'data:':
    case 'blob:':
      return true;
    case 'chrome-extension:':
      return parsed.host === PDF_VIEWER_EXTENSION_ID;
    case 'chrome:':
      // The viewer's shared scripts and styles; no other chrome:// page.
      return parsed.host === 'resources';
    default:
      return LOOPBACK.test(url) && (parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost');
  }
}
