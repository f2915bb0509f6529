import * as assert from 'node:assert/strict';
import { RemoteLanes } from '../../src/extension/panel/remote-lanes';
import type { WorkerPresence } from '../../src/queue/wire';
import type { PanelState } from '../../src/shared/protocol';
import { reduce } from '../../media/src/state';

const presence = (name: string, busy: string[] = [], utilisation = 0.5): WorkerPresence => ({ worker: { host: 'box', name, pid: 7 }, concurrency: 2, startedAt: 0, busy, utilisation });

describe('the panel\'s lanes of remote workers', () => {
  it('names each worker by host and name, with what it runs; one that goes away keeps its lane, marked when it went', () => {
    const lanes = new RemoteLanes();
    assert.equal(lanes.state(), undefined, 'nothing before a run through a queue');
    lanes.update({ queue: 'redis://q:6379', workers: [presence('a', ['src/x.js']), presence('b')] }, 1000);
    assert.deepEqual(lanes.state(), {
      queue: 'redis://q:6379',
      lanes: [
        { id: 'box:a:7', host: 'box', name: 'a', slots: 2, utilisation: 0.5, busy: ['src/x.js'] },
        { id: 'box:b:7', host: 'box', name: 'b', slots: 2, utilisation: 0.5, busy: [] },
      ],
    });
    lanes.update({ queue: 'redis://q:6379', workers: [presence('b', ['src/y.js'], 1)] }, 4000);
    lanes.update({ queue: 'redis://q:6379', workers: [presence('b', [], 1)] }, 6000);
    const [a, b] = lanes.state()?.lanes ?? [];
    assert.deepEqual(a, { id: 'box:a:7', host: 'box', name: 'a', slots: 2, utilisation: 0, busy: [], goneAtMs: 4000 }, 'gone when first missed, and stays so');
    assert.equal(b?.goneAtMs, undefined);
    lanes.reset();
    assert.equal(lanes.state(), undefined, 'a new run starts without them');
  });

  it('reach the webview in deltas, and a new run clears them', () => {
    const empty: PanelState = { trusted: true, workers: [], series: [], lint: [], skipped: [], transform: [], analyze: { rows: [], hotspots: [] }, history: [], tasks: [] };
    const remote = { queue: 'redis://q:6379', lanes: [{ id: 'h:a:1', host: 'h', name: 'a', slots: 1, utilisation: 0, busy: [] }] };
    const withRemote = reduce(empty, { type: 'delta', workers: [], samples: [], remote });
    assert.deepEqual(withRemote.remote, remote);
    assert.deepEqual(reduce(withRemote, { type: 'delta', workers: [], samples: [] }).remote, remote, 'kept while no news');
    assert.equal(reduce(withRemote, { type: 'delta', workers: [], samples: [], reset: true }).remote, undefined);
  });
});
