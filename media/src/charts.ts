import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { BatchBar, RemoteLane, Sample, WorkerLane } from '../../src/shared/protocol';
import { formatDuration } from './format';

/** Queue depth (area) and throughput (line) over the run, scaled to the box. */
export function queueChart(series: readonly Sample[]): TemplateResult {
  const width = 300;
  const height = 60;
  if (series.length < 2) return html`<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" class="chart" role="img"></svg>`;
  const maxT = Math.max(1, (series.at(-1) as Sample).t);
  const maxQ = Math.max(1, ...series.map((s) => s.queued));
  const maxR = Math.max(1, ...series.map((s) => s.filesPerSecond));
  const x = (t: number): number => (t / maxT) * width;
  const queued = series.map((s) => `${x(s.t).toFixed(1)},${(height - (s.queued / maxQ) * (height - 4)).toFixed(1)}`);
  const rate = series.map((s) => `${x(s.t).toFixed(1)},${(height - (s.filesPerSecond / maxR) * (height - 4)).toFixed(1)}`);
  const label = `Queue fell from ${series[0]?.queued ?? 0} to ${series.at(-1)?.queued ?? 0} files; peak throughput ${maxR.toFixed(0)} files per second`;
  return html`<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" class="chart" role="img" aria-label=${label}>
    <polygon points="0,${height} ${queued.join(' ')} ${width},${height}" class="queued"></polygon>
    <polyline points=${rate.join(' ')} class="rate" fill="none"></polyline>
  </svg>`;
}

const OUTCOME_LABEL: Record<BatchBar['outcome'], string> = {
  running: 'running',
  ok: 'done',
  failed: 'done with file errors',
  crashed: 'worker crashed (restarted)',
  'timed out': 'timed out (worker terminated)',
  cancelled: 'cancelled',
};

function batchBar(bar: BatchBar, span: number, width: number, height: number): SVGTemplateResult {
  const x = (bar.start / span) * width;
  const w = Math.max(1, (((bar.end ?? span) - bar.start) / span) * width);
  const files = bar.files.map((f) => `${f.path} — ${f.ms} ms`).join('\n');
  const more = bar.fileCount > bar.files.length ? `\n… and ${bar.fileCount - bar.files.length} more` : '';
  const title = `Batch ${bar.id}: ${bar.fileCount} files, ${OUTCOME_LABEL[bar.outcome]}\n${files}${more}`;
  const marker = bar.outcome === 'crashed' || bar.outcome === 'timed out' ? svg`<path d="M${(x + w).toFixed(2)},0 l3,0 l-1.5,4 z" class="marker"></path>` : nothing;
  return svg`<rect x=${x.toFixed(2)} y="1" width=${w.toFixed(2)} height=${height - 2} class="bar ${bar.outcome.replace(' ', '-')}"><title>${title}</title></rect>${marker}`;
}

/** One lane of batch bars on a shared time axis; hovering a bar lists its files and their times. */
export function laneTimeline(lane: WorkerLane, elapsedMs: number): TemplateResult {
  const width = 300;
  const height = 14;
  const span = Math.max(1, elapsedMs);
  return html`<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" class="timeline" role="img" aria-label="Worker ${lane.slot + 1}: ${lane.batches.length} batches">${lane.batches.map((bar) => batchBar(bar, span, width, height))}</svg>`;
}

/**
 * A remote worker's lane on the run's time axis: when it was seen busy, a mark where a batch of its stalled
 * (put back for another worker), and a line where it stopped answering.
 */
export function remoteTimeline(lane: RemoteLane, elapsedMs: number): TemplateResult {
  const width = 300;
  const height = 14;
  const span = Math.max(1, elapsedMs, lane.goneAtMs ?? 0, ...lane.spans.map((s) => s.endMs ?? s.startMs));
  const x = (ms: number): number => (Math.min(ms, span) / span) * width;
  const busy = lane.spans.map((s) => {
    const from = x(s.startMs);
    const w = Math.max(1, x(s.endMs ?? span) - from);
    return svg`<rect x=${from.toFixed(2)} y="1" width=${w.toFixed(2)} height=${height - 2} class="bar ok"><title>busy from ${formatDuration(s.startMs)}${s.endMs === undefined ? '' : ` to ${formatDuration(s.endMs)}`}</title></rect>`;
  });
  const stalls = lane.stalledAtMs.map(
    (ms) => svg`<rect x=${Math.max(0, x(ms) - 1).toFixed(2)} y="0" width="2" height=${height} class="marker stall"><title>a batch stalled at ${formatDuration(ms)} (its lock lapsed) and was put back for another worker</title></rect>`,
  );
  const gone = lane.goneAtMs === undefined ? nothing : svg`<rect x=${Math.max(0, x(lane.goneAtMs) - 1).toFixed(2)} y="0" width="2" height=${height} class="gone-mark"><title>stopped answering at ${formatDuration(lane.goneAtMs)}</title></rect>`;
  const label = `${lane.name} on ${lane.host}: busy ${lane.spans.length} time${lane.spans.length === 1 ? '' : 's'}${lane.stalledAtMs.length ? `, ${lane.stalledAtMs.length} stalled batch${lane.stalledAtMs.length === 1 ? '' : 'es'}` : ''}${lane.goneAtMs === undefined ? '' : `, gone at ${formatDuration(lane.goneAtMs)}`}`;
  return html`<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" class="timeline" role="img" aria-label=${label}>${busy}${stalls}${gone}</svg>`;
}

export function histogram(buckets: readonly { label: string; count: number }[]): TemplateResult {
  const width = 300;
  const height = 70;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const slot = width / buckets.length;
  const label = `Files by maximum complexity: ${buckets.map((b) => `${b.label}: ${b.count}`).join(', ')}`;
  const bars = buckets.map((b, i) => {
    const h = (b.count / max) * (height - 24);
    const middle = (i * slot + slot / 2).toFixed(1);
    return svg`<rect x=${(i * slot + 4).toFixed(1)} y=${(height - 16 - h).toFixed(1)} width=${(slot - 8).toFixed(1)} height=${h.toFixed(1)} class="bucket"></rect><text x=${middle} y=${height - 4} text-anchor="middle" class="axis">${b.label}</text><text x=${middle} y=${(height - 18 - h).toFixed(1)} text-anchor="middle" class="axis">${b.count}</text>`;
  });
  return html`<svg viewBox="0 0 ${width} ${height}" class="histogram" role="img" aria-label=${label}>${bars}</svg>`;
}
