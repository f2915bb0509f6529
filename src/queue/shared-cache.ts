import type { Redis } from 'ioredis';
import { sha256 } from '../core/hash';
import type { SharedCache } from '../core/result-cache';
import type { AnyTaskKind } from '../core/task-api';
import { localPath, portablePath } from './batch-files';

/** How long a shared result is kept after it was last written. */
const TTL_SECONDS = 7 * 24 * 3600;
/** Keys per MGET / pipeline: bounded, so one huge run does not hold Redis up. */
const CHUNK = 500;

/**
 * Results shared between machines in the queue's Redis, as Nx's remote cache
 * shares task outputs: keyed by a file's content hash and its cache key
 * (engine build, tool versions, the config the tool resolves: see
 * tasks/cache-key.ts, whose keys do not depend on where a checkout lives).
 * Values travel with paths relative to the root, and every value read is
 * checked against the kind's own schema: Redis is input from the network.
 */
export class RedisSharedCache implements SharedCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly kind: AnyTaskKind,
    private readonly root: string,
    readonly location: string,
  ) {}

  async lookup(entries: readonly { readonly hash: string; readonly key: string }[]): Promise<readonly unknown[]> {
    const schema = this.kind.cache?.value;
    if (!schema) return entries.map(() => undefined);
    const found: unknown[] = [];
    for (let i = 0; i < entries.length; i += CHUNK) {
      const chunk = entries.slice(i, i + CHUNK);
      const values = await this.redis.mget(...chunk.map((entry) => this.redisKey(entry)));
      for (const text of values) found.push(text === null ? undefined : this.decode(text, schema));
    }
    return found;
  }

  async store(entries: readonly { readonly hash: string; readonly key: string; readonly value: unknown }[]): Promise<void> {
    for (let i = 0; i < entries.length; i += CHUNK) {
      const pipeline = this.redis.pipeline();
      for (const entry of entries.slice(i, i + CHUNK)) {
        const portable = this.kind.mapValuePaths(entry.value, (file: string) => portablePath(this.root, file));
        pipeline.set(this.redisKey(entry), JSON.stringify(portable), 'EX', TTL_SECONDS);
      }
      await pipeline.exec();
    }
  }

  private redisKey(entry: { readonly hash: string; readonly key: string }): string {
    return `${this.prefix}:pt:cache:${this.kind.name}:${sha256(`${entry.hash}\n${entry.key}`)}`;
  }

  private decode(text: string, schema: NonNullable<AnyTaskKind['cache']>['value']): unknown {
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success ? this.kind.mapValuePaths(parsed.data, (file: string) => localPath(this.root, file)) : undefined;
    } catch {
      return undefined;
    }
  }
}
