import { createHash } from 'node:crypto';

/** SHA-256 of text or bytes, hex: the one content hash of the cache, the write guard and the cache keys. */
export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
