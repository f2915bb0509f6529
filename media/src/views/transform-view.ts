import * as l10n from '@vscode/l10n';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { SkippedEntry, TransformFile } from '../../../src/shared/protocol';
import { post, requests } from '../host';
import { transformStateLabel } from '../labels';
import { button, iconButton, linkButton, resultsLabel } from './controls';
import { LightElement } from './light-element';
import './skipped-view';
import './virtual-list';

/** What the preview below the list shows: nothing yet, a file's patch, or why it could not be had. */
type Preview = { readonly rel: string; readonly patch: string } | { readonly rel: string; readonly error: string };

const act = (action: 'apply' | 'discard' | 'diff', paths: readonly string[]): void => post({ type: 'transform', action, paths });

function patchLines(patch: string): TemplateResult {
  // The first three lines (separator, ---, +++) only repeat the file name shown in the heading.
  const lines = patch.split('\n').slice(3);
  const kind = (line: string): string => (line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '');
  return html`<pre class="patch">${lines.map((line) => html`<span class=${kind(line)}>${`${line}\n`}</span>`)}</pre>`;
}

/** Transform results held for review: per file preview, compare, apply or discard, or all at once. */
export class TransformView extends LightElement {
  static override properties: PropertyDeclarations = { files: { attribute: false }, skipped: { attribute: false }, preview: { state: true } };
  declare files: readonly TransformFile[];
  declare skipped: readonly SkippedEntry[];
  declare preview: Preview | undefined;
  /** Only the latest preview asked for is shown, whichever answer arrives last. */
  private latest = 0;

  constructor() {
    super();
    this.files = [];
    this.skipped = [];
  }

  private async showPatch(file: TransformFile): Promise<void> {
    const asked = ++this.latest;
    let preview: Preview;
    try {
      const response = await requests.request({ kind: 'diff', path: file.path });
      preview = response.ok ? { rel: file.rel, patch: response.result.patch } : { rel: file.rel, error: response.error };
    } catch (error) {
      preview = { rel: file.rel, error: error instanceof Error ? error.message : String(error) };
    }
    if (asked === this.latest) this.preview = preview;
  }

  private readonly renderRow = (f: TransformFile, index: number): TemplateResult => {
    const pending = f.state === 'pending';
    const name = pending ? linkButton(f.rel, l10n.t('Preview changes to {0}', f.rel), () => void this.showPatch(f)) : html`<span class="label" title=${f.message ?? f.rel}>${f.rel}</span>`;
    const buttons = pending
      ? html`${iconButton('diff', l10n.t('Compare {0}', f.rel), () => act('diff', [f.path]))}${iconButton('check', l10n.t('Apply {0}', f.rel), () => act('apply', [f.path]))}${iconButton('close', l10n.t('Discard {0}', f.rel), () => act('discard', [f.path]))}`
      : nothing;
    return html`<div class="row transform ${f.state}" role="listitem" data-index=${index}>${name}<span class="state">${transformStateLabel(f.state)}</span>${buttons}</div>`;
  };

  protected override render(): TemplateResult {
    const pending = this.files.filter((f) => f.state === 'pending').map((f) => f.path);
    const summary = this.files.length > 0 ? l10n.t('{0} changed files · {1} waiting for review', this.files.length, pending.length) : l10n.t('No changes held for review (see the parallelTasks.transform.review setting).');
    const preview = this.preview;
    return html`<div class="toolbar">${pending.length > 0 ? html`${button(l10n.t('Apply All'), 'check-all', () => act('apply', pending))}${button(l10n.t('Discard All'), 'close-all', () => act('discard', pending), { secondary: true })}` : nothing}</div>
      <div class="results-summary">${summary}</div>
      <div class="extra"><pt-skipped .entries=${this.skipped}></pt-skipped></div>
      <pt-virtual-list aria-label=${resultsLabel()} .items=${this.files} .renderRow=${this.renderRow}></pt-virtual-list>
      <section class="diff-preview" aria-label=${l10n.t('Proposed changes')} aria-live="polite" ?hidden=${!preview}>
        ${preview ? html`<h3>${l10n.t('{0}: proposed changes', preview.rel)}</h3>${'patch' in preview ? patchLines(preview.patch) : html`<p class="error">${preview.error}</p>`}` : nothing}
      </section>`;
  }
}

customElements.define('pt-transform-review', TransformView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-transform-review': TransformView;
  }
}
