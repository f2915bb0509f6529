import * as assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../src/extension/panel/validate';

describe('panel protocol validation (host side)', () => {
  it('accepts every well-formed message', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'command', command: 'cancel' },
      { type: 'command', command: 'runAgain' },
      { type: 'open', path: '/ws/a.js', line: 3, column: 7 },
      { type: 'transform', action: 'apply', paths: ['/ws/a.js', '/ws/b.js'] },
      { type: 'request', id: 7, request: { kind: 'diff', path: '/ws/a.js' } },
    ]) {
      const parsed = parseWebviewMessage(message);
      assert.ok(parsed.ok, JSON.stringify(message));
      assert.deepEqual(parsed.message, message);
    }
  });

  it('rejects malformed and hostile messages', () => {
    const hostile: unknown[] = [
      null,
      undefined,
      42,
      'ready',
      [],
      {},
      { type: 'ready', extra: true },
      { type: 'Ready' },
      { type: 'command', command: 'rm -rf /' },
      { type: 'command', command: 'cancel', args: ['x'] },
      { type: 'open', path: '/ws/a.js', line: '3', column: 1 },
      { type: 'open', path: '/ws/a.js', line: -1, column: 1 },
      { type: 'open', path: '/ws/a.js', line: 1.5, column: 1 },
      { type: 'open', path: '', line: 1, column: 1 },
      { type: 'open', path: 'x'.repeat(5000), line: 1, column: 1 },
      { type: 'transform', action: 'delete', paths: ['/ws/a.js'] },
      { type: 'transform', action: 'apply', paths: [] },
      { type: 'transform', action: 'apply', paths: [42] },
      { type: 'transform', action: 'apply', paths: Array.from({ length: 10_001 }, () => '/a') },
      JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'),
      { type: 'request', id: -1, request: { kind: 'diff', path: '/ws/a.js' } },
      { type: 'request', id: 1, request: { kind: 'exec', path: '/ws/a.js' } },
      { type: 'request', id: 1, request: { kind: 'diff', path: '/ws/a.js', extra: 1 } },
      { type: 'open', path: '/ws/a.js', line: 1, column: 1, constructor: { prototype: {} } },
    ];
    for (const message of hostile) {
      const parsed = parseWebviewMessage(message);
      assert.equal(parsed.ok, false, `accepted: ${JSON.stringify(message)?.slice(0, 100)}`);
      if (!parsed.ok) assert.ok(parsed.reason.length > 0);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  });

  it('survives thousands of random messages without throwing', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const values = [null, 0, -1, 1e12, '', 'ready', 'open', '/etc/passwd', true, [], {}, ['a'], { a: 1 }];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const accepted: unknown[] = [];
    for (let i = 0; i < 5000; i++) {
      const message: Record<string, unknown> = {};
      for (const key of ['type', 'command', 'path', 'line', 'column', 'action', 'paths', 'x']) if (random() < 0.5) message[key] = pick(values);
      if (parseWebviewMessage(message).ok) accepted.push(message);
    }
    // The seed is fixed, so the answer is too: of 5000 random messages the only well-formed one is a bare `ready`;
    // every other one has a key its type does not allow, or a value of the wrong kind.
    assert.deepEqual(accepted, [{ type: 'ready' }], `accepted: ${JSON.stringify(accepted).slice(0, 500)}`);
  });
});
