import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { TaskLane } from '../../../src/shared/protocol';
import { formatDuration } from '../format';
import { post } from '../host';
import { button } from './controls';
import { LightElement } from './light-element';

function lane(task: TaskLane): TemplateResult {
  const exit = task.exitCode !== undefined ? `, exit code ${task.exitCode}` : '';
  const state = task.exitCode !== undefined && task.state === 'failed' ? `failed (${task.exitCode})` : task.state;
  const action =
    task.state === 'running'
      ? button('', 'debug-stop', () => post({ type: 'task', action: 'stop', id: task.id }), { secondary: true, name: `Stop ${task.name}` })
      : button('', 'debug-restart', () => post({ type: 'task', action: 'restart', id: task.id }), { secondary: true, name: `Restart ${task.name}` });
  return html`<div class="lane task ${task.state}" aria-label="Task ${task.name}: ${task.state}${exit}, ${formatDuration(task.durationMs)}">
    <div class="lane-head"><span class="name">${task.name}</span><span class="kind">${task.source}</span><span class="state ${task.state}">${state}</span><span class="duration">${formatDuration(task.durationMs)}</span><span class="done">${action}</span></div>
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
    return html`<h3>VS Code tasks</h3>${this.lanes.map(lane)}`;
  }
}

customElements.define('pt-task-lanes', TaskLanesView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-task-lanes': TaskLanesView;
  }
}
