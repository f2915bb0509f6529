import * as l10n from '@vscode/l10n';
import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { BatchBar, RemoteLane, Sample, WorkerLane } from '../../src/shared/protocol';
import { formatDuration, formatMs } from './format';
import { batchOutcomeLabel } from './labels';

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
  const label = l10n.t('Queue fell from {0} to {1} files; peak throughput {2} files per second', series[0]?.queued ?? 0, series.at(-1)?.queued ?? 0, maxR.toFixed(0));
  return html`<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" class="chart" role="img" aria-label=${label}>
    <polygon points="0,${height} ${queued.join(' ')} ${width},${height}" class="queued"></polygon>
    <polyline points=${rate.join(' ')} class="rate" fill="none"></polyline>
  </svg>`;
}

function batchBar(bar: BatchBar, span: number, width: number, height: number): SVGTemplateResult {
  const x = (bar.start / span) * width;
  const w = Math.max(1, (((bar.end ?? span) - bar.start) / span) * width);
  const files = bar.files.map((f) => `${f.path} — ${formatMs(f.ms)}`).join('\n');
  const more = bar.fileCount > bar.files.length ? `\n${l10n.t('… and {0} more', bar.fileCount - bar.files.length)}` : '';
  const title = `${l10n.t({ message: 'Batch {0}: {1} files, {2}', args: [bar.id, bar.fileCount, batchOutcomeLabel(bar.outcome)], comment: ['{2} is how the batch ended, e.g. "done with file errors"'] })}\n${files}${more}`;
  const marker = bar.outcome === 'crashed' || bar.outcome === 'timed out' ? svg`<path d="M${(x + w).toFixed(2)},0 l3,0 l-1.5,4 z" class="marker"></path>` : nothing;
  return svg`<rect x=${x.toFixed(2)} y="1" width=${w.toFixed(2)} height=${height - 2} class="bar ${bar.outcome.replace(' ', '-')}"><title>${title}</title></rect>${marker}`;
}

/** One lane of batch bars on a shared time axis; hovering a bar lists its files and their times. */
export function laneTimeline(lane: WorkerLane, elapsedMs: number): TemplateResult {
  const width = 300;
  const height = 14;
  const span = Math.max(1, elapsedMs);
  return html`<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" class="timeline" role="img" aria-label=${l10n.t('Worker {0}: {1} batches', lane.slot + 1, lane.batches.length)}>${lane.batches.map((bar) => batchBar(bar, span, width, height))}</svg>`;
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
    return svg`<rect x=${from.toFixed(2)} y="1" width=${w.toFixed(2)} height=${height - 2} class="bar ok"><title>${s.endMs === undefined ? l10n.t('busy from {0}', formatDuration(s.startMs)) : l10n.t('busy from {0} to {1}', formatDuration(s.startMs), formatDuration(s.endMs))}</title></rect>`;
  });
  const stalls = lane.stalledAtMs.map(
    (ms) => svg`<rect x=${Math.max(0, x(ms) - 1).toFixed(2)} y="0" width="2" height=${height} class="marker stall"><title>${l10n.t('a batch stalled at {0} (its lock lapsed) and was put back for another worker', formatDuration(ms))}</title></rect>`,
  );
  const gone = lane.goneAtMs === undefined ? nothing : svg`<rect x=${Math.max(0, x(lane.goneAtMs) - 1).toFixed(2)} y="0" width="2" height=${height} class="gone-mark"><title>${l10n.t('stopped answering at {0}', formatDuration(lane.goneAtMs))}</title></rect>`;
  const label = remoteLaneLabel(lane.name, lane.host, [
    lane.spans.length === 1 ? l10n.t('busy 1 time') : l10n.t('busy {0} times', lane.spans.length),
    lane.stalledAtMs.length === 0 ? '' : lane.stalledAtMs.length === 1 ? l10n.t('1 stalled batch') : l10n.t('{0} stalled batches', lane.stalledAtMs.length),
    lane.goneAtMs === undefined ? '' : l10n.t('gone at {0}', formatDuration(lane.goneAtMs)),
  ]);
  return html`<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" class="timeline" role="img" aria-label=${label}>${busy}${stalls}${gone}</svg>`;
}

/**
 * A remote worker's accessible name: "ci-2 on build-box-3: " and what is known of it, each fact a whole
 * message of its own (empty ones left out), listed with commas.
 */
export function remoteLaneLabel(name: string, host: string, facts: readonly string[]): string {
  return l10n.t({ message: '{0} on {1}: {2}', args: [name, host, facts.filter(Boolean).join(', ')], comment: ["{0} is a remote worker's name, {1} the machine it runs on, {2} a list of facts about it"] });
}

export function histogram(buckets: readonly { label: string; count: number }[]): TemplateResult {
  const width = 300;
  const height = 70;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const slot = width / buckets.length;
  const label = l10n.t('Files by maximum complexity: {0}', buckets.map((b) => `${b.label}: ${b.count}`).join(', '));
  const bars = buckets.map((b, i) => {
    const h = (b.count / max) * (height - 24);
    const middle = (i * slot + slot / 2).toFixed(1);
    return svg`<rect x=${(i * slot + 4).toFixed(1)} y=${(height - 16 - h).toFixed(1)} width=${(slot - 8).toFixed(1)} height=${h.toFixed(1)} class="bucket"></rect><text x=${middle} y=${height - 4} text-anchor="middle" class="axis">${b.label}</text><text x=${middle} y=${(height - 18 - h).toFixed(1)} text-anchor="middle" class="axis">${b.count}</text>`;
  });
  return html`<svg viewBox="0 0 ${width} ${height}" class="histogram" role="img" aria-label=${label}>${bars}</svg>`;
}
