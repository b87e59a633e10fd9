import { describe, expect, it } from 'vitest';
import { multilineText, textField } from '@shared/validation';

describe('free text rule', () => {
  const single = textField(1, 120);
  const multi = multilineText(1, 500);

  it.each([
    ['NUL', 'Acme\u0000Ltd'],
    ['a lone high surrogate', 'Acme \ud800'],
    ['a lone low surrogate', '\udc00Acme'],
    ['a reversed pair', 'Acme \udc00\ud800'],
    ['ESC (a terminal sequence)', 'Acme\u001b[31m'],
    ['DEL', 'Acme\u007f'],
    ['a C1 control', 'Acme\u0085'],
    ['a line break inside a label', 'Acme\nLtd'],
    ['a tab inside a label', 'Acme\tLtd'],
  ])('refuses %s in a single-line field', (_name, value) => {
    const parsed = single.safeParse(value);
    expect(parsed.success).toBe(false);
  });

  it.each([
    ['NUL', 'first line\u0000'],
    ['a lone surrogate', 'note \ud83d'],
    ['a vertical tab', 'a\u000bb'],
  ])('refuses %s in a multi-line field', (_name, value) => {
    expect(multi.safeParse(value).success).toBe(false);
  });

  it('keeps line breaks and tabs in a multi-line field', () => {
    expect(multi.parse('first line\r\nsecond\tcolumn')).toBe('first line\r\nsecond\tcolumn');
  });

  it.each([
    ['a combining accent composed (NFC)', 'Jose\u0301 Pe\u0301rez', 'José Pérez'],
    ['surrounding space trimmed', '  Acme  ', 'Acme'],
    ['emoji (a proper surrogate pair) kept', 'Fund 🚀', 'Fund 🚀'],
    ['Hangul jamo composed', '\u1100\u1161', '가'],
  ])('stores %s', (_name, value, stored) => {
    expect(single.parse(value)).toBe(stored);
  });
});
