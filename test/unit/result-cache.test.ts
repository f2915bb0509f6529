import * as assert from 'node:assert/strict';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { ResultCache } from '../../src/core/result-cache';
import type { DiscoveredFile } from '../../src/core/types';
import { tempDir, writeFiles } from '../helpers/files';

/** The shape the values of these tests have; a task kind gives its own. */
const answer = z.object({ answer: z.number() });

describe('ResultCache', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const discovered = (file: string): DiscoveredFile => {
    const info = statSync(file);
    return { path: file, size: info.size, mtimeMs: info.mtimeMs };
  };

  async function primed(): Promise<{ cacheFile: string; file: string }> {
    const [file] = writeFiles(dir, { 'a.js': 'const a = 1;\n' }) as [string];
    const cacheFile = path.join(dir, 'cache', 'lint.json');
    const cache = await ResultCache.open(cacheFile, answer);
    const miss = await cache.lookup(discovered(file), 'key-1');
    assert.equal(miss.hit, false);
    cache.store(discovered(file), miss.hit ? '' : (miss.hash as string), 'key-1', { answer: 42 }, 12);
    await cache.save();
    return { cacheFile, file };
  }

  it('answers an unchanged file from a saved cache, across instances', async () => {
    const { cacheFile, file } = await primed();
    const reopened = await ResultCache.open(cacheFile, answer);
    assert.deepEqual(await reopened.lookup(discovered(file), 'key-1'), { hit: true, value: { answer: 42 }, costMs: 12 });
  });

  it('misses when the content, or the configuration fingerprint, changes', async () => {
    const { cacheFile, file } = await primed();
    const cache = await ResultCache.open(cacheFile, answer);
    assert.equal((await cache.lookup(discovered(file), 'key-2')).hit, false, 'another config');
    writeFileSync(file, 'const a = 2;\n');
    assert.equal((await cache.lookup(discovered(file), 'key-1')).hit, false, 'other content');
  });

  it('re-hashes a file whose time changed but not its content, and still hits', async () => {
    const { cacheFile, file } = await primed();
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const cache = await ResultCache.open(cacheFile, answer);
    assert.equal((await cache.lookup(discovered(file), 'key-1')).hit, true);
  });

  for (const [name, damage] of [
    ['truncated', (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ['not JSON', () => '\u0000\u0001garbage'],
    ['another format', () => JSON.stringify({ format: 99, entries: {} })],
  ] as const) {
    it(`ignores a ${name} cache file, says so, and rebuilds it`, async () => {
      const { cacheFile, file } = await primed();
      writeFileSync(cacheFile, damage(readFileSync(cacheFile, 'utf8')));
      const cache = await ResultCache.open(cacheFile, answer);
      assert.match(cache.discarded ?? '', /unreadable cache file/);
      assert.equal(cache.size, 0);
      const miss = await cache.lookup(discovered(file), 'key-1');
      assert.equal(miss.hit, false);
      cache.store(discovered(file), miss.hit ? '' : (miss.hash as string), 'key-1', { answer: 1 }, 1);
      await cache.save();
      assert.equal((await (await ResultCache.open(cacheFile, answer)).lookup(discovered(file), 'key-1')).hit, true);
    });
  }

  it('drops entries that are not well formed instead of trusting them', async () => {
    const { cacheFile, file } = await primed();
    const data = JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: Record<string, Record<string, unknown>> };
    const entry = data.entries[file] as Record<string, unknown>;
    delete entry.hash;
    writeFileSync(cacheFile, JSON.stringify(data));
    assert.equal((await (await ResultCache.open(cacheFile, answer)).lookup(discovered(file), 'key-1')).hit, false);
  });

  it('drops an entry whose value is not what the task produces, and says so', async () => {
    const { cacheFile, file } = await primed();
    const data = JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: Record<string, Record<string, unknown>> };
    (data.entries[file] as Record<string, unknown>).value = null;
    writeFileSync(cacheFile, JSON.stringify(data));
    const cache = await ResultCache.open(cacheFile, answer);
    assert.match(cache.discarded ?? '', /dropped 1 malformed cache entry/);
    assert.equal((await cache.lookup(discovered(file), 'key-1')).hit, false);
  });
});
