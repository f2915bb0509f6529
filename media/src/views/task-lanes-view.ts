import * as l10n from '@vscode/l10n';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { TaskLane } from '../../../src/shared/protocol';
import { formatDuration } from '../format';
import { taskStateLabel } from '../labels';
import { post } from '../host';
import { button } from './controls';
import { LightElement } from './light-element';

function lane(task: TaskLane): TemplateResult {
  const stateLabel = taskStateLabel(task.state);
  const duration = formatDuration(task.durationMs);
  const name =
    task.exitCode === undefined
      ? l10n.t({ message: 'Task {0}: {1}, {2}', args: [task.name, stateLabel, duration], comment: ["{0} is a VS Code task's name, {1} its state, {2} how long it ran"] })
      : l10n.t({ message: 'Task {0}: {1}, exit code {2}, {3}', args: [task.name, stateLabel, task.exitCode, duration], comment: ["{0} is a VS Code task's name, {1} its state, {2} its exit code, {3} how long it ran"] });
  const state = task.exitCode !== undefined && task.state === 'failed' ? l10n.t({ message: 'failed ({0})', args: [task.exitCode], comment: ['a VS Code task that failed; {0} is its exit code'] }) : stateLabel;
  const action =
    task.state === 'running'
      ? button('', 'debug-stop', () => post({ type: 'task', action: 'stop', id: task.id }), { secondary: true, name: l10n.t('Stop {0}', task.name) })
      : button('', 'debug-restart', () => post({ type: 'task', action: 'restart', id: task.id }), { secondary: true, name: l10n.t('Restart {0}', task.name) });
  return html`<div class="lane task ${task.state}" aria-label=${name}>
    <div class="lane-head"><span class="name">${task.name}</span><span class="kind">${task.source}</span><span class="state ${task.state}">${state}</span><span class="duration">${duration}</span><span class="done">${action}</span></div>
  </div>`;
}

/** VS Code tasks started in parallel: one lane each, with its outcome and a stop or restart button. */
export class TaskLanesView extends LightElement {
  static override properties: PropertyDeclarations = { lanes: { attribute: false } };
  declare lanes: readonly TaskLane[];

  constructor() {
    super();
    this.lanes = [];
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.lanes.length === 0) return nothing;
    return html`<h3>${l10n.t('VS Code tasks')}</h3>${this.lanes.map(lane)}`;
  }
}

customElements.define('pt-task-lanes', TaskLanesView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-task-lanes': TaskLanesView;
  }
}
