import { describe, expect, it } from 'vitest';
import { isAllowedRequest, PDF_VIEWER_EXTENSION_ID } from '../../../electron/main/request-filter';

const viewer = `chrome-extension://${PDF_VIEWER_EXTENSION_ID}`;

describe('the window request filter', () => {
  it.each([
    // The app itself and the KYC scan shown in a frame.
    ['file:///opt/treasury/renderer/index.html', true],
    ['blob:file:///3b0c7f1e-0000-4000-8000-000000000000', true],
    ['data:application/pdf;base64,JVBERi0=', true],
    ['http://127.0.0.1:51730/api', true],
    ['ws://localhost:5173/', true],
    // Chromium's PDF viewer that draws the blob, and its shared resources.
    [`${viewer}/index.html`, true],
    [`${viewer}/main.js`, true],
    ['chrome://resources/js/load_time_data.js', true],
    // Nothing else opens: other extensions, other chrome pages, remote hosts, loopback look-alikes.
    ['chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/index.html', false],
    ['chrome://settings/', false],
    ['chrome://gpu', false],
    ['https://example.com/a.pdf', false],
    ['http://localhost.evil.example/', false],
    ['http://127.0.0.1.evil.example/', false],
    ['http://127.0.0.1@evil.example/', false],
    ['ftp://127.0.0.1/', false],
    ['not a url', false],
  ])('%s → allowed: %s', (url, allowed) => {
    expect(isAllowedRequest(url)).toBe(allowed);
  });
});
