import type { Screen } from '../store/navigation';

/** "g" then a letter goes to a screen (as in Gmail and GitHub); the help sheet lists the same table. */
export const GO_KEYS: Record<string, Screen> = {
  d: 'dashboard',
  c: 'clients',
  w: 'wallets',
  h: 'holding',
  o: 'withdrawals',
  f: 'activity',
  r: 'ramps',
  p: 'policy',
  a: 'audit',
  s: 'settings',
};

/** A key typed into a field is text, not a shortcut. */
export function typingIn(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element) return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

/** Ctrl+K, or ⌘K on a Mac. */
export function isPaletteKey(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k';
}
