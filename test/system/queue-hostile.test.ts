import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnCli } from './cli';
import { uniquePrefix } from '../helpers/redis-server';
import { machineCopy, queueSuite, startWorker, type CliProcess } from './queue-helpers';

// What a careless user and an attacker put in front of the queue: awkward file names, a copy that differs, a
// config reached through a symbolic link out of the worker's checkout.
describe('the queue with hostile input', function () {
  this.timeout(180_000);
  const suite = queueSuite();
  const { processes, cleanups } = suite;

  function copy(label: string): string {
    const made = machineCopy(label, 0);
    cleanups.push(made.cleanup);
    return made.dir;
  }

  async function worker(dir: string, prefix: string, name: string): Promise<CliProcess> {
    const started = await startWorker(dir, suite.redis.url, prefix, name);
    processes.push(started);
    return started;
  }

  it('file names with a backslash, a newline, spaces and a leading dash answer as locally; analyze uses the coordinator\'s copy of a file that differs', async () => {
    const names = ['src/a\\b.js', 'src/new\nline.js', 'src/with space.js', 'src/-dash.js'];
    const coordinator = copy('coordinator');
    const machine = copy('machine');
    for (const dir of [coordinator, machine]) for (const name of names) writeFileSync(path.join(dir, name), 'var a = 1; a == 2;\n');
    writeFileSync(path.join(machine, 'src', 'clean.js'), 'export function stale(a) { if (a) { return 1; } return 2; }\n');
    const prefix = uniquePrefix('names');
    await worker(machine, prefix, 'names');
    for (const command of ['lint', 'analyze']) {
      const local = spawnCli([command, '-f', 'json', '--no-cache', 'src'], coordinator);
      const queued = spawnCli([command, '-f', 'json', '--no-cache', '--queue', suite.redis.url, '--queue-prefix', prefix, 'src'], coordinator);
      assert.equal(queued.status, local.status, queued.stderr);
      assert.equal(queued.stdout, local.stdout, command);
      for (const name of names) assert.ok(local.stdout.includes(JSON.stringify(name.slice(4)).slice(1, -1)), `${command} reports ${JSON.stringify(name)}`);
    }
  });

  it('a config reached through a symbolic link out of the worker\'s checkout is refused before it runs', async () => {
    // The attacker's config, outside every checkout: it leaves a mark naming the folder it ran in.
    const outside = mkdtempSync(path.join(os.tmpdir(), 'pt-outside-'));
    cleanups.push(() => rmSync(outside, { recursive: true, force: true }));
    const marks = path.join(outside, 'ran-in');
    mkdirSync(marks);
    writeFileSync(path.join(outside, 'evil.config.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marks)} + '/' + process.pid, process.cwd());\nexport default [];\n`);
    const coordinator = copy('coordinator');
    const machine = copy('machine');
    for (const dir of [coordinator, machine]) symlinkSync(outside, path.join(dir, 'link'));
    const prefix = uniquePrefix('linkout');
    const served = await worker(machine, prefix, 'careful');
    const run = spawnCli(['lint', '-f', 'json', '--no-cache', '--config', 'link/evil.config.mjs', '--queue', suite.redis.url, '--queue-prefix', prefix, 'src'], coordinator);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /refused by worker careful .*link\/evil\.config\.mjs, which leads out of this checkout through a symbolic link/);
    await served.waitFor(/leads out of this checkout/, 5000);
    const ranIn = existsSync(marks) ? readdirSync(marks).map((pid) => readFileSync(path.join(marks, pid), 'utf8')) : [];
    assert.ok(!ranIn.includes(machine), `the config never ran on the worker (it ran in: ${ranIn.join(', ')})`);
  });
});
