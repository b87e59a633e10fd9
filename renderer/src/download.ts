/** Hands content to the browser as a file download (a save dialog in the desktop app); answers the file name. */
export function downloadFile(content: BlobPart, file: string, type: string): string {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob on; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return file;
}

/** A file the engine sent as base64, as bytes. */
export function fromBase64(content: string): Uint8Array<ArrayBuffer> {
  const binary = atob(content);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A file's SHA-256 in lowercase hex, computed in the window (Web Crypto). */
export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
