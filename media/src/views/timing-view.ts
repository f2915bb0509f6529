import * as l10n from '@vscode/l10n';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { RunTiming } from '../../../src/shared/protocol';
import { formatDuration } from '../format';
import { openFile } from '../host';
import { LightElement } from './light-element';

function files(timing: RunTiming): TemplateResult {
  return html`<details class="timing files" open>
    <summary>${l10n.t('Slowest files ({0} of {1} processed)', timing.files.length, timing.timed)}</summary>
    <ol aria-label=${l10n.t('Slowest files')}>${timing.files.map(
      (f) => html`<li><span class="ms">${formatDuration(f.ms)}</span> <button class="link" title=${f.path} @click=${() => openFile(f.path)}>${f.rel}</button></li>`,
    )}</ol>
  </details>`;
}

function rules(timing: RunTiming): TemplateResult | typeof nothing {
  if (!timing.rules) return nothing;
  return html`<details class="timing rules" open>
    <summary title=${l10n.t("ESLint's own time per rule (its stats option), summed over the files")}>${l10n.t('Slowest rules')}</summary>
    ${timing.rules.length === 0
      ? html`<p class="note">${l10n.t('ESLint reported no rule times (they need ESLint 9 or later).')}</p>`
      : html`<ol aria-label=${l10n.t('Slowest rules')}>${timing.rules.map((r) => html`<li title=${l10n.t('{0} files', r.files)}><span class="ms">${formatDuration(r.ms)}</span> <span class="rule">${r.rule}</span></li>`)}</ol>`}
  </details>`;
}

/**
 * Where the last finished run spent its time: its slowest files (each file's
 * time in its worker; answers from the cache are not timed) and, when lint
 * collected ESLint's rule times (parallelTasks.lint.ruleTimings), its slowest rules.
 */
export class TimingView extends LightElement {
  static override properties: PropertyDeclarations = { timing: { attribute: false } };
  declare timing: RunTiming | undefined;

  protected override render(): TemplateResult | typeof nothing {
    const timing = this.timing;
    if (!timing || timing.files.length === 0) return nothing;
    return html`${files(timing)}${rules(timing)}`;
  }
}

customElements.define('pt-timing', TimingView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-timing': TimingView;
  }
}
