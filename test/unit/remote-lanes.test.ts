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
    lanes.update({ queue: 'redis://q:6379', workers: [presence('a', ['src/x.js']), presence('b', [], 0)], waiting: 5 }, 1000);
    assert.deepEqual(lanes.state(), {
      queue: 'redis://q:6379',
      waiting: 5,
      lanes: [
        { id: 'box:a:7', host: 'box', name: 'a', slots: 2, utilisation: 0.5, busy: ['src/x.js'], spans: [{ startMs: 1000 }], stalledAtMs: [] },
        { id: 'box:b:7', host: 'box', name: 'b', slots: 2, utilisation: 0, busy: [], spans: [], stalledAtMs: [] },
      ],
    });
    lanes.update({ queue: 'redis://q:6379', workers: [presence('b', ['src/y.js'], 1)], waiting: 0 }, 4000);
    lanes.update({ queue: 'redis://q:6379', workers: [presence('b', [], 0)] }, 6000);
    const [a, b] = lanes.state()?.lanes ?? [];
    assert.deepEqual(a, { id: 'box:a:7', host: 'box', name: 'a', slots: 2, utilisation: 0, busy: [], spans: [{ startMs: 1000, endMs: 4000 }], stalledAtMs: [], goneAtMs: 4000 }, 'gone when first missed, and stays so; its busy time ends there');
    assert.equal(b?.goneAtMs, undefined);
    assert.deepEqual(b?.spans, [{ startMs: 4000, endMs: 6000 }], 'busy while it reported work, idle after');
    assert.equal(lanes.state()?.waiting, 0, 'the queue\'s depth as last asked');
    lanes.reset();
    assert.equal(lanes.state(), undefined, 'a new run starts without them');
  });

  it('marks a stall on the lane of the worker that held the batch, when BullMQ put it back', () => {
    const lanes = new RemoteLanes();
    lanes.update({ queue: 'redis://q:6379', workers: [presence('a', ['src/x.js']), presence('b', ['src/y.js'])] }, 1000);
    // a was SIGSTOPped: its presence lapses first, then its batch's lock, and the batch goes to b.
    lanes.update({ queue: 'redis://q:6379', workers: [presence('b', ['src/y.js'])] }, 6000);
    lanes.update({ queue: 'redis://q:6379', workers: [presence('b', ['src/x.js'])], stalled: [{ host: 'box', name: 'a', pid: 7 }, { host: 'elsewhere', name: 'z', pid: 1 }] }, 9000);
    const [a, b] = lanes.state()?.lanes ?? [];
    assert.deepEqual(a?.stalledAtMs, [9000]);
    assert.equal(a?.goneAtMs, 6000);
    assert.deepEqual(b?.stalledAtMs, [], 'only the worker that held it');
    assert.equal(lanes.state()?.lanes.length, 2, 'a worker never seen gets no lane from a stall');
  });

  it('keeps a bounded timeline however long the run', () => {
    const lanes = new RemoteLanes();
    for (let t = 0; t < 2000; t++) lanes.update({ queue: 'redis://q:6379', workers: [presence('a', t % 2 === 0 ? ['f.js'] : [], t % 2 === 0 ? 1 : 0)] }, t * 1000);
    const spans = lanes.state()?.lanes[0]?.spans ?? [];
    assert.ok(spans.length <= 200, `${spans.length} spans`);
    assert.equal(spans[0]?.startMs, 0, 'the oldest spans merge, the run still starts at 0');
    assert.deepEqual(spans.at(-1), { startMs: 1998000, endMs: 1999000 });
  });

  it('reach the webview in deltas, and a new run clears them', () => {
    const empty: PanelState = { trusted: true, workers: [], series: [], lint: [], skipped: [], transform: [], analyze: { rows: [], hotspots: [] }, history: [], tasks: [] };
    const remote = { queue: 'redis://q:6379', lanes: [{ id: 'h:a:1', host: 'h', name: 'a', slots: 1, utilisation: 0, busy: [], spans: [], stalledAtMs: [] }] };
    const withRemote = reduce(empty, { type: 'delta', workers: [], samples: [], remote });
    assert.deepEqual(withRemote.remote, remote);
    assert.deepEqual(reduce(withRemote, { type: 'delta', workers: [], samples: [] }).remote, remote, 'kept while no news');
    assert.equal(reduce(withRemote, { type: 'delta', workers: [], samples: [], reset: true }).remote, undefined);
  });
});
