import * as vscode from 'vscode';
import type { KeepCurrent } from './keep-current';
import type { RunController, RunView } from './run-controller';

/**
 * One status-bar item on the left: hidden until the first run, live counts
 * while a run goes, the outcome in a few words afterwards. Clicking it opens
 * the panel.
 */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('parallelTasks.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly controller: RunController,
    private readonly live: KeepCurrent,
  ) {
    this.item.name = 'Parallel Tasks';
    this.item.command = 'parallelTasks.showPanel';
    this.subscriptions = [controller.onDidChange(() => this.render()), live.onDidChange(() => this.render())];
    // Keeping current may be on from the settings before any run: say so from the start.
    this.render();
  }

  private render(): void {
    const view = this.controller.view();
    const live = liveText(this.live.state());
    if (!view && !live) {
      this.item.hide();
      return;
    }
    const { text, tooltip, accessibility } = view ? describe(view) : { text: '', tooltip: new vscode.MarkdownString(), accessibility: 'Parallel Tasks' };
    if (live) tooltip.appendMarkdown(`\n\n${live.tooltip}`);
    this.item.text = live ? (text ? `${text} · ${live.text}` : live.text) : text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: live ? `${accessibility}, ${live.tooltip}` : accessibility };
    this.item.backgroundColor =
      view && !view.running && (view.summary?.phase === 'failed' || (view.summary?.failed ?? 0) > 0)
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

function describe(view: RunView): { text: string; tooltip: vscode.MarkdownString; accessibility: string } {
  const { counts, timings, workers } = view.snapshot;
  const title = view.request.label;
  const finished = counts.done + counts.failed + counts.skipped + counts.cancelled;
  const tooltip = new vscode.MarkdownString(undefined, true);
  if (view.running) {
    const busy = workers.filter((w) => w.state === 'busy').length;
    const eta = timings.etaMs === undefined ? '…' : `${Math.ceil(timings.etaMs / 1000)} s`;
    tooltip.appendMarkdown(`**Parallel Tasks: ${title}** in ${view.folder}\n\n`);
    tooltip.appendMarkdown(`${finished} of ${counts.total} files · ${timings.filesPerSecond.toFixed(1)} files/s · ETA ${eta}\n\n`);
    const remote = view.remote ? remoteText(view.remote) : undefined;
    if (remote) tooltip.appendMarkdown(`Through the queue at ${view.remote?.queue}: ${remote}\n\n`);
    else tooltip.appendMarkdown(`${busy} of ${workers.length} workers busy · ${counts.failed} failed · ${counts.skipped} skipped\n\n`);
    tooltip.appendMarkdown('Click to open the panel.');
    return {
      text: `$(sync~spin) ${title} ${finished}/${counts.total} · ${remote ?? `${busy}/${workers.length} busy`}`,
      tooltip,
      accessibility: `Parallel Tasks ${title}: ${finished} of ${counts.total} files, ${busy} workers busy`,
    };
  }
  const summary = view.summary;
  const outcome = summary ? outcomeText(summary) : 'done';
  const icon = summary?.phase === 'completed' && summary.failed === 0 ? (summary.errors || summary.warnings ? '$(warning)' : '$(check)') : summary?.phase === 'cancelled' ? '$(circle-slash)' : '$(error)';
  tooltip.appendMarkdown(`**Parallel Tasks: ${title}** — ${outcome}\n\n`);
  if (summary) {
    tooltip.appendMarkdown(`${summary.files} files in ${(summary.wallMs / 1000).toFixed(1)} s on ${summary.workers} workers · ${summary.done} done (${summary.cached} from cache) · ${summary.failed} failed · ${summary.skipped} skipped\n\n`);
    if (view.remote) tooltip.appendMarkdown(`Through the queue at ${view.remote.queue}: ${remoteText(view.remote)}\n\n`);
    if (summary.error) tooltip.appendText(summary.error);
  }
  return { text: `${icon} ${title}: ${outcome}`, tooltip, accessibility: `Parallel Tasks ${title}: ${outcome}` };
}

/** "remote: 3 workers": the machines serving the queue, as their presence in Redis says. */
function remoteText(remote: NonNullable<RunView['remote']>): string {
  return `remote: ${remote.workers.length} worker${remote.workers.length === 1 ? '' : 's'}`;
}

function outcomeText(summary: NonNullable<RunView['summary']>): string {
  if (summary.phase === 'refused') return 'not run (untrusted workspace)';
  if (summary.phase === 'failed') return 'failed';
  if (summary.phase === 'cancelled') return 'cancelled';
  return summary.line ?? 'done';
}

/** "Problems live", with the files still to check: shown while saves keep Problems current (keep-current.ts). */
function liveText(state: ReturnType<KeepCurrent['state']>): { text: string; tooltip: string } | undefined {
  if (state.mode === 'off') return undefined;
  const when = state.mode === 'onType' ? 'as you type' : 'on save';
  if (state.pending > 0) return { text: `$(sync~spin) Problems live: ${state.pending} pending`, tooltip: `Problems live: ${state.pending} file${state.pending === 1 ? '' : 's'} pending (checked ${when})` };
  return { text: '$(eye) Problems live', tooltip: `Problems live: files are checked again ${when}` };
}
