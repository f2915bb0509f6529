import * as assert from 'node:assert/strict';
import { HostRequests, RequestCancelledError, RequestTimeoutError, type PanelResponse } from '../../media/src/requests';
import { PanelStore } from '../../media/src/store';
import type { WebviewMessage } from '../../src/shared/protocol';

type Sent = Extract<WebviewMessage, { type: 'request' }>;

describe('panel requests to the host (webview)', () => {
  let requests: HostRequests;
  let sent: Sent[];

  beforeEach(() => {
    sent = [];
    requests = new HostRequests((m) => sent.push(m), 50);
  });

  afterEach(() => requests.dispose());

  const answer = (id: number, patch = '@@'): PanelResponse => ({ type: 'response', id, ok: true, result: { kind: 'diff', path: '/a.js', patch } });

  it('posts each request with a fresh id and resolves it with the response of that id', async () => {
    const first = requests.request({ kind: 'diff', path: '/a.js' });
    const second = requests.request({ kind: 'diff', path: '/b.js' });
    assert.deepEqual(sent, [
      { type: 'request', id: 1, request: { kind: 'diff', path: '/a.js' } },
      { type: 'request', id: 2, request: { kind: 'diff', path: '/b.js' } },
    ]);
    // Answers may come in any order.
    assert.equal(requests.settle(answer(2, 'second')), true);
    assert.equal(requests.settle({ type: 'response', id: 1, ok: false, error: 'no such file' }), true);
    assert.deepEqual(await second, answer(2, 'second'));
    assert.deepEqual(await first, { type: 'response', id: 1, ok: false, error: 'no such file' });
    assert.equal(requests.pending, 0);
  });

  it('rejects a request the host never answers, and ignores an answer that comes too late', async () => {
    const started = Date.now();
    await assert.rejects(requests.request({ kind: 'diff', path: '/a.js' }), (error: unknown) => {
      assert.ok(error instanceof RequestTimeoutError);
      assert.equal(error.timeoutMs, 50);
      assert.match(error.message, /did not answer/);
      return true;
    });
    assert.ok(Date.now() - started >= 45, 'not before the time limit');
    assert.equal(requests.pending, 0, 'nothing left waiting');
    assert.equal(requests.settle(answer(1)), false, 'a late answer finds nothing to resolve');
  });

  it('ignores a response to an unknown id and keeps waiting for its own', async () => {
    const pending = requests.request({ kind: 'diff', path: '/a.js' });
    assert.equal(requests.settle(answer(99)), false);
    assert.equal(requests.pending, 1);
    requests.settle(answer(1));
    assert.equal((await pending).id, 1);
  });

  it('rejects open requests and stops their timers when disposed', async () => {
    const pending = requests.request({ kind: 'diff', path: '/a.js' });
    requests.dispose();
    await assert.rejects(pending, RequestCancelledError);
    assert.equal(requests.pending, 0);
  });

  it('rejects at once when the message cannot be posted', async () => {
    const failing = new HostRequests(() => {
      throw new Error('webview disposed');
    }, 50);
    await assert.rejects(failing.request({ kind: 'diff', path: '/a.js' }), /webview disposed/);
    assert.equal(failing.pending, 0);
  });
});

describe('panel store (webview)', () => {
  it('reduces host messages, saves view settings, and tells subscribers until they unsubscribe', () => {
    const saved: unknown[] = [];
    const store = new PanelStore({ groupBy: 'rule', tab: 'workers' }, (ui) => saved.push(ui));
    assert.equal(store.ui.groupBy, 'rule');
    assert.equal(store.ui.tab, 'results');
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    store.apply({ type: 'tasks', lanes: [{ id: 1, name: 'build', source: 'Workspace', state: 'running', durationMs: 5 }] });
    assert.equal(store.panel.tasks.length, 1);
    store.setUi({ filter: 'x' });
    assert.deepEqual(saved, [{ ...store.ui }]);
    assert.equal(store.ui.filter, 'x');
    assert.equal(calls, 2);
    unsubscribe();
    store.setUi({ filter: 'y' });
    assert.equal(calls, 2);
  });
});
