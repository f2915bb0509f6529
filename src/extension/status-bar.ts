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
    const eta = timings.etaMs === undefined ? '…' : vscode.l10n.t({ message: '{0} s', args: [Math.ceil(timings.etaMs / 1000)], comment: ['seconds left until the run ends'] });
    tooltip.appendMarkdown(vscode.l10n.t('**Parallel Tasks: {0}** in {1}', title, view.folder) + '\n\n');
    tooltip.appendMarkdown(vscode.l10n.t('{0} of {1} files · {2} files/s · ETA {3}', finished, counts.total, timings.filesPerSecond.toFixed(1), eta) + '\n\n');
    const remote = view.remote ? remoteText(view.remote) : undefined;
    if (remote) tooltip.appendMarkdown(vscode.l10n.t('Through the queue at {0}: {1}', view.remote?.queue ?? '', remote) + '\n\n');
    else tooltip.appendMarkdown(vscode.l10n.t('{0} of {1} workers busy · {2} failed · {3} skipped', busy, workers.length, counts.failed, counts.skipped) + '\n\n');
    tooltip.appendMarkdown(vscode.l10n.t('Click to open the panel.'));
    return {
      // The codicon stays outside the message: translators see words only.
      text: `$(sync~spin) ${remote ? vscode.l10n.t('{0} {1}/{2} · {3}', title, finished, counts.total, remote) : vscode.l10n.t('{0} {1}/{2} · {3}/{4} busy', title, finished, counts.total, busy, workers.length)}`,
      tooltip,
      accessibility: vscode.l10n.t('Parallel Tasks {0}: {1} of {2} files, {3} workers busy', title, finished, counts.total, busy),
    };
  }
  const summary = view.summary;
  const outcome = summary ? outcomeText(summary) : doneText();
  const icon = summary?.phase === 'completed' && summary.failed === 0 ? (summary.errors || summary.warnings ? '$(warning)' : '$(check)') : summary?.phase === 'cancelled' ? '$(circle-slash)' : '$(error)';
  tooltip.appendMarkdown(vscode.l10n.t('**Parallel Tasks: {0}** — {1}', title, outcome) + '\n\n');
  if (summary) {
    tooltip.appendMarkdown(
      vscode.l10n.t('{0} files in {1} s on {2} workers · {3} done ({4} from cache) · {5} failed · {6} skipped', summary.files, (summary.wallMs / 1000).toFixed(1), summary.workers, summary.done, summary.cached, summary.failed, summary.skipped) + '\n\n',
    );
    if (view.remote) tooltip.appendMarkdown(vscode.l10n.t('Through the queue at {0}: {1}', view.remote.queue, remoteText(view.remote)) + '\n\n');
    if (summary.error) tooltip.appendText(summary.error);
  }
  const outcomeLine = vscode.l10n.t({ message: '{0}: {1}', args: [title, outcome], comment: ['a run and how it ended, as in "Lint: 3 problems"'] });
  return { text: `${icon} ${outcomeLine}`, tooltip, accessibility: vscode.l10n.t('Parallel Tasks {0}: {1}', title, outcome) };
}

/** "remote: 3 workers": the machines serving the queue, as their presence in Redis says. */
function remoteText(remote: NonNullable<RunView['remote']>): string {
  return remote.workers.length === 1 ? vscode.l10n.t('remote: 1 worker') : vscode.l10n.t('remote: {0} workers', remote.workers.length);
}

function doneText(): string {
  return vscode.l10n.t({ message: 'done', comment: ['how a run ended'] });
}

function outcomeText(summary: NonNullable<RunView['summary']>): string {
  if (summary.phase === 'refused') return vscode.l10n.t('not run (untrusted workspace)');
  if (summary.phase === 'failed') return vscode.l10n.t({ message: 'failed', comment: ['how a run ended'] });
  if (summary.phase === 'cancelled') return vscode.l10n.t({ message: 'cancelled', comment: ['how a run ended'] });
  return summary.line ?? doneText();
}

/** "Problems live", with the files still to check: shown while saves keep Problems current (keep-current.ts). */
function liveText(state: ReturnType<KeepCurrent['state']>): { text: string; tooltip: string } | undefined {
  if (state.mode === 'off') return undefined;
  const typing = state.mode === 'onType';
  if (state.pending > 0) return { text: `$(sync~spin) ${vscode.l10n.t('Problems live: {0} pending', state.pending)}`, tooltip: pendingTooltip(state.pending, typing) };
  return {
    text: `$(eye) ${vscode.l10n.t('Problems live')}`,
    tooltip: typing ? vscode.l10n.t('Problems live: files are checked again as you type') : vscode.l10n.t('Problems live: files are checked again on save'),
  };
}

/** Whole sentences for each count and mode: word order differs between languages. */
function pendingTooltip(pending: number, typing: boolean): string {
  if (pending === 1) return typing ? vscode.l10n.t('Problems live: 1 file pending (checked as you type)') : vscode.l10n.t('Problems live: 1 file pending (checked on save)');
  return typing ? vscode.l10n.t('Problems live: {0} files pending (checked as you type)', pending) : vscode.l10n.t('Problems live: {0} files pending (checked on save)', pending);
}
