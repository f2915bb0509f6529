import * as assert from 'node:assert/strict';
import { BatchActivity } from '../../src/queue/batch-activity';
import { RemoteLanes } from '../../src/extension/panel/remote-lanes';
import type { WorkerIdentity, WorkerPresence } from '../../src/queue/wire';
import type { PanelState } from '../../src/shared/protocol';
import { reduce } from '../../media/src/state';

const who = (name: string): WorkerIdentity => ({ host: 'box', name, pid: 7 });
const presence = (name: string, busy: string[] = [], utilisation = 0.5): WorkerPresence => ({ worker: who(name), concurrency: 2, startedAt: 0, busy, utilisation });
const queue = 'redis://q:6379';
/** The run started at wall-clock time T0: elapsed ms `t` is T0 + t. */
const T0 = 1_000_000;

describe('the panel\'s lanes of remote workers', () => {
  it('names each worker by host and name, with what it runs; one that goes away keeps its lane, marked when it went', () => {
    const lanes = new RemoteLanes();
    assert.equal(lanes.state(), undefined, 'nothing before a run through a queue');
    lanes.update({ queue, workers: [presence('a', ['src/x.js']), presence('b', [], 0)], waiting: 5 }, 1000, T0 + 1000);
    assert.deepEqual(lanes.state(), {
      queue,
      waiting: 5,
      lanes: [
        { id: 'box:a:7', host: 'box', name: 'a', slots: 2, utilisation: 0.5, busy: ['src/x.js'], spans: [], stalledAtMs: [] },
        { id: 'box:b:7', host: 'box', name: 'b', slots: 2, utilisation: 0, busy: [], spans: [], stalledAtMs: [] },
      ],
    });
    lanes.update({ queue, workers: [presence('b', ['src/y.js'], 1)], waiting: 0 }, 4000, T0 + 4000);
    const [a, b] = lanes.state()?.lanes ?? [];
    assert.deepEqual(a, { id: 'box:a:7', host: 'box', name: 'a', slots: 2, utilisation: 0, busy: [], spans: [], stalledAtMs: [], goneAtMs: 4000 }, 'gone when first missed');
    assert.equal(b?.goneAtMs, undefined);
    assert.equal(lanes.state()?.waiting, 0, 'the queue\'s depth as last asked');
    lanes.reset();
    assert.equal(lanes.state(), undefined, 'a new run starts without them');
  });

  it('draws when each worker held the run\'s batches, from the batches\' own events: exact, however short', () => {
    const activity = new BatchActivity();
    const lanes = new RemoteLanes();
    // Batch 1 on a from 100 to 130 ms: far shorter than the 2 s between two reports of the workers.
    activity.held('run-1', who('a'), T0 + 100);
    activity.ended('run-1', T0 + 130);
    // Batch 2 taken by a, then (after a stall) by b, which still holds it.
    activity.held('run-2', who('a'), T0 + 1000);
    activity.held('run-2', who('a'), T0 + 1500);
    activity.held('run-2', who('b'), T0 + 3000);
    lanes.update({ queue, workers: [presence('a'), presence('b')], spans: activity.take() }, 3000, T0 + 3000);
    const [a, b] = lanes.state()?.lanes ?? [];
    assert.deepEqual(a?.spans, [{ startMs: 100, endMs: 130 }, { startMs: 1000, endMs: 3000 }], 'a held two batches, the second until it changed hands');
    assert.deepEqual(b?.spans, [{ startMs: 3000 }], 'b holds it still');
    assert.deepEqual(activity.take(), [], 'each change is sent once');
    activity.ended('run-2', T0 + 4000);
    lanes.update({ queue, workers: [presence('a'), presence('b')], spans: activity.take() }, 5000, T0 + 5000);
    assert.deepEqual(lanes.state()?.lanes[1]?.spans, [{ startMs: 3000, endMs: 4000 }]);
    // Between two listings (a stall, the run's end) the spans come with the last listing, which is no news of who went;
    // a worker that joined since gets its lane from its batch.
    activity.held('run-3', who('c'), T0 + 5500);
    activity.ended('run-3', T0 + 5600);
    lanes.update({ queue, workers: [presence('a')], partial: true, spans: activity.take() }, 6000, T0 + 6000);
    assert.deepEqual(lanes.state()?.lanes.map((l) => [l.name, l.goneAtMs, l.spans]), [['a', undefined, [{ startMs: 100, endMs: 130 }, { startMs: 1000, endMs: 3000 }]], ['b', undefined, [{ startMs: 3000, endMs: 4000 }]], ['c', undefined, [{ startMs: 5500, endMs: 5600 }]]]);
  });

  it('marks a stall on the lane of the worker that held the batch, when BullMQ put it back', () => {
    const lanes = new RemoteLanes();
    lanes.update({ queue, workers: [presence('a', ['src/x.js']), presence('b', ['src/y.js'])] }, 1000);
    // a was SIGSTOPped: its presence lapses first, then its batch's lock, and the batch goes to b.
    lanes.update({ queue, workers: [presence('b', ['src/y.js'])] }, 6000);
    lanes.update({ queue, workers: [presence('b', ['src/x.js'])], stalled: [who('a'), { host: 'elsewhere', name: 'z', pid: 1 }] }, 9000);
    const [a, b] = lanes.state()?.lanes ?? [];
    assert.deepEqual(a?.stalledAtMs, [9000]);
    assert.equal(a?.goneAtMs, 6000);
    assert.deepEqual(b?.stalledAtMs, [], 'only the worker that held it');
    assert.equal(lanes.state()?.lanes.length, 2, 'a worker never seen gets no lane from a stall');
  });

  it('merges back-to-back and overlapping batches, and keeps a long run\'s timeline bounded', () => {
    const activity = new BatchActivity();
    const lanes = new RemoteLanes();
    // Two slots: overlapping batches; then 5,000 batches of 10 ms, each 1 ms after the last (a pixel is 100 ms here).
    activity.held('o-1', who('a'), T0);
    activity.held('o-2', who('a'), T0 + 5);
    activity.ended('o-1', T0 + 20);
    activity.ended('o-2', T0 + 25);
    for (let i = 0; i < 5000; i++) {
      activity.held(`b-${i}`, who('a'), T0 + 100 + i * 11);
      activity.ended(`b-${i}`, T0 + 110 + i * 11);
    }
    // And 500 short ones spread over a long quiet stretch.
    for (let i = 0; i < 500; i++) {
      activity.held(`q-${i}`, who('a'), T0 + 60_000 + i * 400);
      activity.ended(`q-${i}`, T0 + 60_010 + i * 400);
    }
    lanes.update({ queue, workers: [presence('a')], spans: activity.take() }, 30_000, T0 + 30_000);
    const spans = lanes.state()?.lanes[0]?.spans ?? [];
    assert.deepEqual(spans[0], { startMs: 0, endMs: 55_099 }, 'the overlapping and the back-to-back batches are one stretch');
    assert.ok(spans.length <= 200, `${spans.length} spans`);
    assert.equal(spans.at(-1)?.endMs, 60_010 + 499 * 400, 'the last batch still ends the lane');
  });

  it('reach the webview in deltas, and a new run clears them', () => {
    const empty: PanelState = { trusted: true, workers: [], series: [], lint: [], skipped: [], transform: [], analyze: { rows: [], hotspots: [] }, history: [], tasks: [] };
    const remote = { queue, lanes: [{ id: 'h:a:1', host: 'h', name: 'a', slots: 1, utilisation: 0, busy: [], spans: [], stalledAtMs: [] }] };
    const withRemote = reduce(empty, { type: 'delta', workers: [], samples: [], remote });
    assert.deepEqual(withRemote.remote, remote);
    assert.deepEqual(reduce(withRemote, { type: 'delta', workers: [], samples: [] }).remote, remote, 'kept while no news');
    assert.equal(reduce(withRemote, { type: 'delta', workers: [], samples: [], reset: true }).remote, undefined);
  });
});
