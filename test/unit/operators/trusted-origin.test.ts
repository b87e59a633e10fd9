import { describe, expect, it } from 'vitest';
import { isTrustedOrigin } from '../../../electron/main/trusted-origin';

/** Which senders main's IPC handlers answer: the packaged page, or the dev server's exact origin. */
const RENDERER = '/opt/Treasury/resources/app.asar/out/renderer/index.html';
const DEV = 'http://localhost:5173';

describe('trusted IPC origins', () => {
  it.each<[string, string, string | undefined, boolean]>([
    ['the packaged page', `file://${RENDERER}`, undefined, true],
    ['the packaged page with a fragment', `file://${RENDERER}#/wallets`, undefined, true],
    ['another local file', 'file:///tmp/evil.html', undefined, false],
    ['a file on another host (UNC)', `file://attacker${RENDERER}`, undefined, false],
    ['the dev server', `${DEV}/`, DEV, true],
    ['the dev server, deeper path', `${DEV}/src/main.tsx`, DEV, true],
    ['a port that only starts like the dev server', 'http://localhost:51730/', DEV, false],
    ['a look-alike host', 'http://localhost.attacker.example:5173/', DEV, false],
    ['the dev server when not in dev', `${DEV}/`, undefined, false],
    ['a remote page', 'https://example.com/', DEV, false],
    ['an empty url', '', DEV, false],
    ['not a url', 'javascript:alert(1)', DEV, false],
  ])('%s', (_case, url, dev, trusted) => {
    expect(isTrustedOrigin(url, dev, RENDERER)).toBe(trusted);
  });
});
