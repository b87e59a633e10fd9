/**
 * The engine's default log line: one line per event for what is expected to fail now and then (a chain node
 * that is down, a refused request), the stack only for what nobody expected. A network client's error
 * object (axios, ethers) prints its whole request otherwise, burying the one line an operator needs.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return error === undefined ? '' : String(error);
  const code = (error as { code?: unknown }).code;
  const expected = typeof code === 'string' || (error as { isAxiosError?: boolean }).isAxiosError === true || error.name === 'DomainError';
  if (expected) return `${error.message}${typeof code === 'string' && !error.message.includes(code) ? ` (${code})` : ''}`;
  return error.stack ?? `${error.name}: ${error.message}`;
}

export function consoleLog(message: string, error?: unknown): void {
  const detail = describeError(error);
  console.error(detail ? `${message}: ${detail}` : message);
}
