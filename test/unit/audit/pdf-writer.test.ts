import { PDFDocument, StandardFonts, type PDFFont } from 'pdf-lib';
import { beforeAll, expect, it } from 'vitest';
import { printable, wrapText } from '@engine/audit/pdf-writer';

/** Text on the app's PDFs wraps to its column and is never cut: every character is printed, each line fits. */
let font: PDFFont;
beforeAll(async () => {
  font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
});

it.each([
  ['a transaction hash in a narrow column', `0x${'d21c0570307503ccb5a9ba319df2c136'.repeat(2)}`, 60],
  ['a sentence across lines', 'Withdrawal to 0x3eb84b6a7B4707C20B6bca41b537055B61E84764 for the client', 120],
  ['an amount with every digit', '1,234,567,890.123456789012345678', 50],
  ['a word wider than the column next to short ones', 'to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t now', 40],
])('%s', (_name, text, width) => {
  const lines = wrapText(text, font, 9, width);
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines) expect(font.widthOfTextAtSize(line, 9)).toBeLessThanOrEqual(width);
  expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
  expect(lines.join(' ')).not.toContain('~');
});

it('keeps Latin-1 letters and marks only what the standard fonts cannot print', () => {
  expect(printable('María José Núñez')).toBe('María José Núñez');
  expect(printable('Zhang 张')).toBe('Zhang ?');
  // The decomposed form (n + combining tilde) prints as the composed letter.
  expect(printable('Nun\u0303ez')).toBe('Nuñez');
});
