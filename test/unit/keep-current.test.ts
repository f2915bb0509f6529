import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { discoverFiles } from '../../src/core/discovery';
import { PassQueue } from '../../src/core/pass-queue';
import { walkFilter } from '../../src/core/walk-filter';
import { emptyPanel, reduce } from '../../media/src/state';
import { tempDir, writeFiles } from '../helpers/files';

describe('PassQueue (keeping Problems current)', () => {
  it('coalesces saves of a waiting file into one check', () => {
    const queue = new PassQueue<string>();
    queue.add('a.js');
    queue.add('a.js');
    queue.add('b.js');
    assert.equal(queue.pending, 2);
    assert.deepEqual(queue.take()?.sort(), ['a.js', 'b.js']);
  });

  it('never runs two passes at once: a file saved during its pass gets exactly one more pass after it', () => {
    const queue = new PassQueue<string>();
    queue.add('a.js');
    assert.deepEqual(queue.take(), ['a.js']);
    queue.add('a.js');
    queue.add('a.js');
    assert.equal(queue.take(), undefined, 'no second pass while the first runs');
    assert.equal(queue.pending, 1, 'the file in the pass and waiting again is one pending file');
    assert.equal(queue.finish()('a.js'), true);
    assert.deepEqual(queue.take(), ['a.js']);
    queue.finish();
    assert.equal(queue.take(), undefined);
    assert.equal(queue.pending, 0);
  });

  it('discards the result of a file deleted during its pass, and forgets it when it waits', () => {
    const queue = new PassQueue<string>();
    queue.add('gone.js');
    queue.add('kept.js');
    queue.take();
    queue.drop('gone.js');
    queue.add('waiting.js');
    queue.dropWhere((key) => key.startsWith('wait'));
    assert.equal(queue.pending, 1);
    const stands = queue.finish();
    assert.equal(stands('gone.js'), false);
    assert.equal(stands('kept.js'), true);
    assert.equal(queue.take(), undefined, 'the dropped waiting file gets no pass');
  });

  it('a file re-created after its delete is checked again and its result stands', () => {
    const queue = new PassQueue<string>();
    queue.add('a.js');
    queue.take();
    queue.drop('a.js');
    queue.add('a.js');
    assert.equal(queue.finish()('a.js'), true);
    assert.deepEqual(queue.take(), ['a.js']);
  });
});

describe('walkFilter (which saved files a workspace run takes)', () => {
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
      'src/vendor/lib.js': 'lib',
      'build/out.js': 'built',
      'node_modules/dep/index.js': 'dep',
      '.hidden/x.js': 'hidden',
      'sub/.gitignore': 'local.js\n',
      'sub/local.js': 'local',
      'sub/kept.js': 'kept',
      '-rf name with spaces.js': 'odd',
    });
  });
  afterEach(() => cleanup());

  it('takes exactly the files a folder walk takes (include, exclude, nested .gitignore, node_modules, dot folders)', async () => {
    const settings = { cwd: dir, include: ['**/*.{js,ts}'], exclude: ['src/vendor/**'], gitignore: true };
    const walked = await discoverFiles({ ...settings, paths: [], maxFileSize: 1e6 });
    const takes = await walkFilter(settings);
    const all = ['src/a.js', 'src/b.ts', 'src/c.generated.js', 'src/readme.md', 'src/vendor/lib.js', 'build/out.js', 'node_modules/dep/index.js', '.hidden/x.js', 'sub/local.js', 'sub/kept.js', '-rf name with spaces.js'];
    const expected = walked.files.map((f) => path.relative(dir, f.path)).sort();
    assert.deepEqual(expected, ['-rf name with spaces.js', 'src/a.js', 'src/b.ts', 'sub/kept.js']);
    assert.deepEqual(all.filter((f) => takes(path.join(dir, f))).sort(), expected);
    assert.equal(takes(path.join(path.dirname(dir), 'elsewhere.js')), false, 'a file outside the folder');
  });

  it('takes nothing without include globs, and ignored files when .gitignore is off', async () => {
    assert.equal((await walkFilter({ cwd: dir, include: [], exclude: [], gitignore: true }))(path.join(dir, 'src/a.js')), false);
    assert.equal((await walkFilter({ cwd: dir, include: ['**/*.js'], exclude: [], gitignore: false }))(path.join(dir, 'build/out.js')), true);
  });

  it('a file named with asWalked counts as found by walking (ESLint then drops its own ignored files silently)', async () => {
    const named = await discoverFiles({ cwd: dir, paths: ['src/a.js'], include: [], exclude: [], gitignore: true, maxFileSize: 1e6 });
    const walked = await discoverFiles({ cwd: dir, paths: ['src/a.js', 'gone.js'], include: [], exclude: [], gitignore: true, maxFileSize: 1e6, asWalked: true });
    assert.equal(named.files[0]?.explicit, true);
    assert.equal(walked.files.length, 1);
    assert.equal(walked.files[0]?.explicit, undefined);
  });
});

describe('the panel\'s "Problems live" line (webview state)', () => {
  it('shows the mode and the files pending as the host sends them, and goes when keeping current is off', () => {
    const live = reduce(emptyPanel, { type: 'live', live: { mode: 'onSave', pending: 2 } });
    assert.deepEqual(live.live, { mode: 'onSave', pending: 2 });
    assert.equal(reduce(live, { type: 'delta', workers: [], samples: [], reset: true }).live?.pending, 2, 'a new run leaves it alone');
    assert.equal(reduce(live, { type: 'live' }).live, undefined);
  });
});
