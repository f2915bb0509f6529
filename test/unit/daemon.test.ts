import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { daemonWanted } from '../../src/cli/daemon-choice';
import { environmentHash } from '../../src/daemon/identity';
import { daemonPlace, ensurePrivateDir } from '../../src/daemon/paths';
import { tempDir } from '../helpers/files';

/** Runs `body` with these environment variables set (undefined: unset), then puts the environment back. */
function withEnv(vars: Record<string, string | undefined>, body: () => void): void {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  try {
    body();
  } finally {
    apply(saved);
  }
}

describe('daemon: when it is used', () => {
  it('is on by default, off under CI=true, and the flags win over PARALLEL_TASKS_DAEMON, which wins over CI', () => {
    withEnv({ PARALLEL_TASKS_DAEMON: undefined, CI: undefined }, () => {
      assert.equal(daemonWanted({}), true);
      assert.equal(daemonWanted({ daemon: false }), false);
    });
    withEnv({ PARALLEL_TASKS_DAEMON: undefined, CI: 'true' }, () => {
      assert.equal(daemonWanted({}), false);
      assert.equal(daemonWanted({ daemon: true }), true);
    });
    withEnv({ PARALLEL_TASKS_DAEMON: undefined, CI: 'false' }, () => assert.equal(daemonWanted({}), true));
    withEnv({ PARALLEL_TASKS_DAEMON: '1', CI: 'true' }, () => assert.equal(daemonWanted({}), true));
    withEnv({ PARALLEL_TASKS_DAEMON: 'off', CI: undefined }, () => {
      assert.equal(daemonWanted({}), false);
      assert.equal(daemonWanted({ daemon: true }), true);
    });
  });
});

describe('daemon: identity and private folder', () => {
  it('a new terminal (PWD, SHLVL, TERM_SESSION_ID) or npm script keeps the daemon; a variable a config may read replaces it', () => {
    const base = { PATH: '/usr/bin', NODE_ENV: 'development', PWD: '/a', SHLVL: '1', TERM_SESSION_ID: 'x' };
    assert.equal(environmentHash(base), environmentHash({ ...base, PWD: '/b', SHLVL: '3', TERM_SESSION_ID: 'y', PARALLEL_TASKS_DAEMON: '1', npm_lifecycle_event: 'lint' }));
    assert.notEqual(environmentHash(base), environmentHash({ ...base, NODE_ENV: 'production' }));
  });

  it('creates the folder 0700 and refuses one open to others; one socket per folder, the same through a link', () => {
    const { dir, cleanup } = tempDir('pt-daemon-unit-');
    try {
      withEnv({ XDG_RUNTIME_DIR: dir }, () => {
        const made = ensurePrivateDir();
        assert.equal(made, path.join(dir, 'parallel-tasks'));
        const project = path.join(dir, 'project');
        mkdirSync(project);
        assert.notEqual(daemonPlace(project).socket, daemonPlace(dir).socket);
        symlinkSync(project, path.join(dir, 'link'));
        assert.equal(daemonPlace(path.join(dir, 'link')).socket, daemonPlace(project).socket);
        chmodSync(made, 0o750);
        assert.throws(() => ensurePrivateDir(), /open to other users \(mode 750\)/);
      });
    } finally {
      cleanup();
    }
  });
});
