import * as assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { discoverFiles, type DiscoveryOptions } from '../../src/core/discovery';
import { tempDir, writeFiles } from '../helpers/files';

describe('discoverFiles', () => {
  let dir: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    writeFiles(dir, {
      '.gitignore': 'build/\n*.generated.js\n',
      'src/a.js': 'a',
      'src/b.ts': 'b',
      'src/c.generated.js': 'generated',
      'src/readme.md': '# hi',
      'build/out.js': 'built',
      'node_modules/dep/index.js': 'dep',
      'src/image.js': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]),
      'src/huge.js': 'x'.repeat(5000),
      'sub/.gitignore': 'local.js\n',
      'sub/local.js': 'local',
      'sub/kept.js': 'kept',
    });
  });
  afterEach(() => cleanup());

  const options = (over: Partial<DiscoveryOptions> = {}): DiscoveryOptions => ({
    cwd: dir,
    paths: [],
    include: ['**/*.{js,ts}'],
    exclude: [],
    gitignore: true,
    maxFileSize: 1000,
    ...over,
  });
  const rel = (files: readonly { path: string }[]): string[] => files.map((f) => path.relative(dir, f.path)).sort();

  it('honours .gitignore files (nested ones too), include globs and never enters node_modules', async () => {
    const result = await discoverFiles(options());
    assert.deepEqual(rel(result.files), ['src/a.js', 'src/b.ts', 'sub/kept.js']);
  });

  it('reports binary and oversized files as skipped, with the reason', async () => {
    const result = await discoverFiles(options());
    const reasons = Object.fromEntries(result.skipped.map((s) => [path.relative(dir, s.path), s.reason]));
    assert.equal(reasons['src/image.js'], 'binary file');
    assert.match(reasons['src/huge.js'] ?? '', /larger than the size limit \(5000 > 1000 bytes\)/);
  });

  it('applies exclude globs and can ignore .gitignore', async () => {
    const result = await discoverFiles(options({ exclude: ['**/*.ts'], gitignore: false }));
    assert.deepEqual(rel(result.files), ['build/out.js', 'src/a.js', 'src/c.generated.js', 'sub/kept.js', 'sub/local.js']);
  });

  it('takes explicit files and globs, and reports paths that do not exist', async () => {
    const result = await discoverFiles(options({ paths: ['src/readme.md', 'sub/*.js', 'nope'] }));
    assert.deepEqual(rel(result.files), ['src/readme.md', 'sub/kept.js']);
    assert.deepEqual(result.unmatched, [{ path: 'nope', reason: 'no such file or folder' }]);
  });

  it('keeps file names with glob characters and backslashes as they are, found in a folder or named', async () => {
    writeFiles(dir, { 'odd/back\\slash.js': 'a', 'odd/[id].js': 'b', 'odd/i.js': 'c' });
    const walked = await discoverFiles(options({ paths: ['odd'] }));
    assert.deepEqual(rel(walked.files), ['odd/[id].js', 'odd/back\\slash.js', 'odd/i.js']);
    assert.deepEqual(walked.skipped, []);
    const named = await discoverFiles(options({ paths: ['odd/[id].js'] }));
    assert.deepEqual(rel(named.files), ['odd/[id].js'], 'an existing file is that file, not a pattern matching i.js');
  });

  it('with `only` (changed files): takes those of them the paths, include, exclude and .gitignore take; a path with none is no error, a typo still is', async () => {
    const changed = ['src/a.js', 'src/readme.md', 'src/c.generated.js', 'build/out.js', 'sub/kept.js', 'src/image.js', 'gone.js'].map((f) => path.join(dir, f));
    const all = await discoverFiles(options({ only: changed }));
    assert.deepEqual(rel(all.files), ['src/a.js', 'sub/kept.js'], 'not readme.md (include), nor what .gitignore leaves out, nor a file that is gone');
    assert.deepEqual(rel(all.skipped), ['src/image.js'], 'a changed binary file is reported as skipped, as in a full run');
    assert.deepEqual(rel((await discoverFiles(options({ only: changed, exclude: ['sub/**'] }))).files), ['src/a.js']);
    const narrowed = await discoverFiles(options({ only: changed, paths: ['sub', 'src/b.ts', 'nope'] }));
    assert.deepEqual(rel(narrowed.files), ['sub/kept.js'], 'src/b.ts is named, but did not change');
    assert.deepEqual(narrowed.unmatched, [{ path: 'nope', reason: 'no such file or folder' }]);
    const nothing = await discoverFiles(options({ only: [] }));
    assert.deepEqual([nothing.files, nothing.skipped, nothing.unmatched], [[], [], []], 'nothing changed: nothing to run, and nothing the user named is missing');
  });

  it('with `only`: a changed file named by another path to it (a folder reached through a link, as a shell\'s $PWD may be) is still that file', async () => {
    const links = tempDir();
    try {
      const link = path.join(links.dir, 'project');
      symlinkSync(dir, link);
      const changed = [path.join(dir, 'src', 'a.js')];
      const named = await discoverFiles(options({ only: changed, paths: [path.join(link, 'src')] }));
      assert.deepEqual(named.files.map((f) => f.path), [path.join(link, 'src', 'a.js')], 'under the name it was reached by');
      // The other way round: the folder is opened through the link, git names the files by their real path.
      const fromLink = await discoverFiles(options({ cwd: link, only: changed }));
      assert.deepEqual(fromLink.files.map((f) => path.basename(f.path)), ['a.js']);
    } finally {
      links.cleanup();
    }
  });
});
