import * as assert from 'node:assert/strict';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cacheProject, type CacheProject } from './cache-project';

/** Every entry of a cache file, rewritten by `damage` (given the entry's position, to vary the damage). */
function damageEntries(cacheFile: string, damage: (value: Record<string, unknown>, index: number) => unknown): void {
  const data = JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: Record<string, { value: Record<string, unknown> }> };
  Object.values(data.entries).forEach((entry, index) => (entry.value = damage(entry.value, index) as Record<string, unknown>));
  writeFileSync(cacheFile, JSON.stringify(data));
}

describe('a malformed cache entry, through the CLI', () => {
  let project: CacheProject | undefined;
  afterEach(() => project?.cleanup());

  const sources = {
    'a.js': 'const a = 1 == 2;\nexport { a };\n',
    'b.js': 'export function b(x) {\n  if (x) {\n    return  1; // TODO\n  }\n}\n',
    'c.js': 'export const c = [1,2];\n',
    'd.ts': 'export const d: number = 1;\n',
    'eslint.config.mjs': 'export default [{ rules: { eqeqeq: "error" } }];\n',
  };

  const cases: { name: string; args: string[]; status: number; damages: ((value: Record<string, unknown>) => unknown)[] }[] = [
    {
      name: 'lint',
      args: ['lint', '--format', 'json'],
      // a.js breaks eqeqeq.
      status: 1,
      damages: [
        () => null,
        () => ({}),
        (value) => ({ ...value, result: undefined }),
        (value) => ({ ...value, result: { ...(value.result as object), messages: 'none' } }),
        (value) => ({ ...value, result: { ...(value.result as object), errorCount: '0' } }),
      ],
    },
    {
      name: 'analyze',
      args: ['analyze', '--format', 'json'],
      status: 0,
      damages: [() => null, () => ({}), (value) => ({ ...value, lines: null }), (value) => ({ ...value, functions: [{ name: 'f' }] }), (value) => ({ ...value, imports: 3 })],
    },
    {
      name: 'transform --check',
      args: ['transform', '--prettier', '--check', '--format', 'json'],
      // b.js and c.js are not formatted as Prettier would.
      status: 1,
      damages: [() => null, () => ({}), (value) => ({ ...value, changed: 'no' }), (value) => ({ changed: true, hash: value.hash }), (value) => ({ ...value, hash: undefined })],
    },
  ];

  for (const { name, args, status, damages } of cases) {
    it(`${name}: a run over damaged entries answers exactly as a run without the cache, and repairs the cache`, () => {
      project = cacheProject(sources);
      const expected = project.uncached(args);
      assert.equal(expected.status, status, expected.stderr);
      const first = project.cached(args);
      assert.deepEqual([first.status, first.stdout], [expected.status, expected.stdout]);
      damageEntries(project.cacheFile, (value, index) => damages[index % damages.length]?.(value));
      const damaged = project.cached(args);
      assert.deepEqual([damaged.status, damaged.stdout], [expected.status, expected.stdout], damaged.stderr);
      assert.match(damaged.stderr, /dropped \d+ malformed cache entries/);
      const repaired = project.cached(args);
      // The same stderr as without the cache (skipped files are named there), and no note about dropped entries.
      assert.deepEqual([repaired.status, repaired.stdout, repaired.stderr], [expected.status, expected.stdout, expected.stderr], 'the next run trusts the rewritten cache');
    });
  }
});

describe('a file changed without changing its size or modification time', () => {
  let project: CacheProject | undefined;
  afterEach(() => project?.cleanup());

  const args = ['lint', '--format', 'json'];
  const before = 'const a = 1 == 2;\nexport { a };\n';
  // The same length, and its times set back as `touch -r` or a checkout can: only the content tells.
  const after = 'const a = 1 <= 2;\nexport { a };\n';
  const keepTimes = (file: string): void => utimesSync(file, 1_700_000_000, 1_700_000_000);

  function changedBehindTheCache(strategy: string[]): { answer: ReturnType<CacheProject['cached']>; expected: ReturnType<CacheProject['uncached']> } {
    project = cacheProject({ 'a.js': before, 'eslint.config.mjs': 'export default [{ rules: { eqeqeq: "error" } }];\n' });
    const file = path.join(project.dir, 'a.js');
    keepTimes(file);
    assert.equal(project.cached([...args, ...strategy]).status, 1, 'the first version has an error');
    writeFileSync(file, after);
    keepTimes(file);
    return { answer: project.cached([...args, ...strategy]), expected: project.uncached(args) };
  }

  it('is seen by default: the cache hashes the content', () => {
    const { answer, expected } = changedBehindTheCache([]);
    assert.equal(expected.status, 0);
    assert.deepEqual([answer.status, answer.stdout], [expected.status, expected.stdout]);
  });

  it('is not seen with --cache-strategy metadata, as documented: the old answer', () => {
    const { answer, expected } = changedBehindTheCache(['--cache-strategy', 'metadata']);
    assert.equal(answer.status, 1, 'answered from the cache as before the change');
    assert.notEqual(answer.stdout, expected.stdout);
  });

  it('rejects an unknown --cache-strategy with a usage error', () => {
    project = cacheProject({ 'a.js': before });
    const run = project.cached(['analyze', '--cache-strategy', 'mtime']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--cache-strategy.*mtime.*choices.*content.*metadata/s);
  });
});

