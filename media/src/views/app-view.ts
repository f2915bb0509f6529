import * as l10n from '@vscode/l10n';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { PanelState } from '../../../src/shared/protocol';
import { command, store } from '../host';
import type { UiState } from '../state';
import { button, resultsLabel } from './controls';
import './remote-workers-view';
import './history-view';
import { LightElement } from './light-element';
import './queue-view';
import './results-view';
import './summary-view';
import './task-lanes-view';
import './timing-view';
import './workers-view';

/** The main actions: in the welcome view, and above the history after a restart, when no run is in the panel. */
function startActions(trusted: boolean): TemplateResult {
  // Custom tasks run the workspace's own commands: not offered where they would only be refused.
  const custom = trusted ? button(l10n.t('Run Custom Task…'), 'terminal', () => command('runCustomTask'), { secondary: true }) : nothing;
  return html`<div class="actions">${button(l10n.t('Lint Workspace'), 'checklist', () => command('lintWorkspace'))}${button(l10n.t('Analyze Workspace'), 'graph', () => command('analyzeWorkspace'), { secondary: true })}${button(l10n.t('Transform…'), 'wand', () => command('transform'), { secondary: true })}${custom}</div>`;
}

/** The welcome view: what the panel is for and the main actions, until the first run. */
function gettingStarted(trusted: boolean): TemplateResult {
  return html`<p>${l10n.t('Run a job over the whole workspace on a pool of workers. While it runs, this panel shows the queue, what each worker is doing, and the results.')}</p>
    ${startActions(trusted)}
    ${trusted ? nothing : html`<p class="note">${l10n.t('This workspace is not trusted: lint, Prettier, codemods and custom tasks are disabled; analyze works.')}</p>`}
    <p class="more">${button(l10n.t('Set Worker Count…'), 'server-process', () => command('setWorkerCount'), { secondary: true })}${button(l10n.t('Get Started'), 'book', () => command('openWalkthrough'), { secondary: true })}</p>`;
}

/** "Problems live": saves (or typing) keep Problems current; the files still to check while there are any. */
function liveLine(live: PanelState['live']): TemplateResult | typeof nothing {
  if (!live) return nothing;
  const text = live.mode === 'onType' ? l10n.t('Problems live (checked as you type)') : l10n.t('Problems live (checked on save)');
  const pending = live.pending > 0 ? html` · <span class="live-pending">${l10n.t({ message: '{0} pending', args: [live.pending], comment: ['files still to check'] })}</span>` : nothing;
  return html`<p class="live" role="status"><vscode-icon name=${live.pending > 0 ? 'sync' : 'eye'} ?spin=${live.pending > 0}></vscode-icon> ${text}${pending}</p>`;
}

const onTabSelect = (event: Event): void => store.setUi({ tab: (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex === 1 ? 'history' : 'results' });

/**
 * The panel's layout: the getting-started text before anything ran, else the
 * run header, the queue, the lanes, and the Results and History tabs. It
 * follows the store; each view below it re-renders only when its own slice
 * of the state changed.
 */
export class AppView extends LightElement {
  static override properties: PropertyDeclarations = { panel: { attribute: false }, ui: { attribute: false } };
  declare panel: PanelState;
  declare ui: UiState;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.panel = store.panel;
    this.ui = store.ui;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = store.subscribe(() => {
      this.panel = store.panel;
      this.ui = store.ui;
    });
  }

  override disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    super.disconnectedCallback();
  }

  protected override render(): TemplateResult {
    const { panel, ui } = this;
    const nothingYet = !panel.run && panel.history.length === 0 && panel.tasks.length === 0;
    // By the kind's result view, never its name: a kind added later shows in the view it declares.
    const view = panel.run?.view ?? panel.history[0]?.view ?? 'problems';
    return html`${liveLine(panel.live)}<section class="empty" aria-label=${l10n.t('Getting started')} ?hidden=${!nothingYet}>${nothingYet ? gettingStarted(panel.trusted) : nothing}</section>
      <section class="header" aria-label=${l10n.t({ message: 'Run', comment: ['the part of the panel about the current run (a noun)'] })} aria-live="polite" ?hidden=${nothingYet}>${
        // After a restart the history is back but no run is: the panel still offers to start one.
        panel.run || nothingYet ? html`<pt-summary .run=${panel.run}></pt-summary>` : startActions(panel.trusted)
      }</section>
      <section class="queue" aria-label=${l10n.t('Queue')} ?hidden=${nothingYet}><pt-queue .run=${panel.run} .series=${panel.series}></pt-queue></section>
      <section class="workers" aria-label=${l10n.t('Workers')} ?hidden=${nothingYet}><pt-task-lanes .lanes=${panel.tasks}></pt-task-lanes><pt-remote-workers .remote=${panel.remote} .elapsedMs=${panel.run?.elapsedMs ?? 0}></pt-remote-workers><pt-workers .lanes=${panel.workers} .elapsedMs=${panel.run?.elapsedMs ?? 0}></pt-workers></section>
      <vscode-tabs aria-label=${l10n.t('Results and history')} ?hidden=${nothingYet} .selectedIndex=${ui.tab === 'history' ? 1 : 0} @vsc-tabs-select=${onTabSelect}>
        <vscode-tab-header slot="header">${resultsLabel()}</vscode-tab-header>
        <vscode-tab-panel><pt-results .view=${view} .panel=${panel} .ui=${ui}></pt-results></vscode-tab-panel>
        <vscode-tab-header slot="header">${l10n.t('History')}</vscode-tab-header>
        <vscode-tab-panel><pt-timing .timing=${panel.timing}></pt-timing><pt-history .entries=${panel.history}></pt-history></vscode-tab-panel>
      </vscode-tabs>`;
  }
}

customElements.define('pt-app', AppView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-app': AppView;
  }
}
