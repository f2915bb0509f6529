import * as assert from 'node:assert/strict';
import { isLoopback, parseQueueUrl, redisOptions } from '../../src/queue/connection';
import { fromWirePath, localPath, portablePath, toWirePath } from '../../src/queue/batch-files';
import { batchJobSchema, WIRE_FORMAT } from '../../src/queue/wire';

describe('the queue\'s address and wire format', () => {
  it('takes redis:// and rediss:// URLs, and never shows the password', () => {
    const plain = parseQueueUrl('redis://127.0.0.1:6380');
    assert.deepEqual({ host: plain.host, port: plain.port, db: plain.db, tls: plain.tls, display: plain.display }, { host: '127.0.0.1', port: 6380, db: 0, tls: false, display: 'redis://127.0.0.1:6380' });
    const secret = parseQueueUrl('rediss://worker:p%40ss@redis.internal/3');
    assert.equal(secret.password, 'p@ss');
    assert.equal(secret.username, 'worker');
    assert.equal(secret.port, 6379);
    assert.equal(secret.db, 3);
    assert.equal(secret.tls, true);
    assert.equal(secret.display, 'rediss://redis.internal/3');
    assert.ok(!secret.display.includes('p@ss'));
    assert.deepEqual(redisOptions(secret).tls, { servername: 'redis.internal' });
    assert.equal(redisOptions(secret).maxRetriesPerRequest, null, 'what BullMQ requires of a worker connection');
  });

  it('says how to write a password holding a bare %, instead of crashing, and never echoes it', () => {
    assert.throws(
      () => parseQueueUrl('redis://:Sup3r%zzS3cret@127.0.0.1:6391'),
      (error: Error) => error.name === 'UsageError' && /'%' that is not percent-encoding; write it as %25/.test(error.message) && !error.message.includes('Sup3r'),
    );
  });

  it('refuses Redis without a password beyond loopback unless told it is safe, and takes a password from elsewhere', () => {
    assert.throws(() => parseQueueUrl('redis://10.1.2.3:6379'), /refusing Redis without a password at 10\.1\.2\.3/);
    assert.throws(() => parseQueueUrl('redis://build-box:6379'), /refusing Redis without a password/);
    assert.equal(parseQueueUrl('redis://10.1.2.3:6379', { insecure: true }).host, '10.1.2.3');
    assert.equal(parseQueueUrl('redis://10.1.2.3:6379', { password: 'from-secret-storage' }).password, 'from-secret-storage');
    assert.equal(parseQueueUrl('redis://:in-url@10.1.2.3', { password: 'other' }).password, 'in-url');
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '[::1]']) assert.doesNotThrow(() => parseQueueUrl(`redis://${host}:6379`), host);
    assert.equal(isLoopback('128.0.0.1'), false);
    assert.equal(isLoopback('::ffff:10.0.0.1'), false);
  });

  it('says what is wrong with a URL it cannot use, without echoing a password', () => {
    assert.throws(() => parseQueueUrl('http://127.0.0.1:6379'), /must be a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/…"/);
    assert.throws(() => parseQueueUrl('redis://127.0.0.1/99'), /database must be a number from 0 to 15/);
    assert.throws(() => parseQueueUrl('redis://127.0.0.1/?tls=1'), /no query or fragment/);
    assert.throws(() => parseQueueUrl('redis//:secret@host'), (error: Error) => /must be a URL: redis:\/\/\[:PASSWORD@\]HOST/.test(error.message) && !error.message.includes('secret'));
  });

  it('names files relative to the root, and refuses a batch path that leads outside it', () => {
    assert.equal(toWirePath('/ws', '/ws/src/a.js'), 'src/a.js');
    assert.equal(fromWirePath('/other', 'src/a.js'), '/other/src/a.js');
    assert.equal(fromWirePath('/other', '../etc/passwd'), undefined);
    assert.equal(portablePath('/ws', '/ws/eslint.config.mjs'), 'eslint.config.mjs');
    assert.equal(portablePath('/ws', '/opt/bundled/config.js'), '/opt/bundled/config.js', 'outside the root: as it is');
    assert.equal(localPath('/other', 'eslint.config.mjs'), '/other/eslint.config.mjs');
    const job = { format: WIRE_FORMAT, run: 'r', coordinator: 'c', kind: 'lint', options: {}, engineBuild: 'b', fileTimeoutMs: 1000 };
    for (const bad of ['../x.js', '/abs.js', 'a/../../x.js', 'nul\0.js', '']) {
      assert.equal(batchJobSchema.safeParse({ ...job, files: [{ path: bad, hash: 'h' }] }).success, false, JSON.stringify(bad));
    }
    // A backslash is part of a name on Linux and macOS (only a Windows worker would take it for a separator).
    assert.equal(batchJobSchema.safeParse({ ...job, files: [{ path: 'src/a\\b.js', hash: 'h' }] }).success, process.platform !== 'win32');
    assert.equal(batchJobSchema.safeParse({ ...job, fileTimeoutMs: 2 ** 31, files: [{ path: 'a.js', hash: 'h' }] }).success, false, 'no time limit a timer cannot hold');
    assert.equal(batchJobSchema.safeParse({ ...job, files: [{ path: 'src/a.js', hash: 'h', extra: 1 }] }).success, false, 'no unknown fields');
    assert.equal(batchJobSchema.safeParse({ ...job, files: [{ path: 'src/a.js', hash: 'h' }] }).success, true);
  });
});
