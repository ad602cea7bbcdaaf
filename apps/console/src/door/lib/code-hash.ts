/** base64url(SHA-256(code)): the key the admissions feed uses instead of raw codes (docs/door.md). */
export async function codeHash(code: string): Promise<string> {
  return bytesToCodeHash(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code))));
}

/** A code hash's 32 bytes as the feed writes them (base64url, no padding). */
export function bytesToCodeHash(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The inverse of bytesToCodeHash: how the device stores a hash (32 bytes instead of 43 characters). */
export function codeHashToBytes(hash: string): Uint8Array {
  const binary = atob(hash.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
