import * as l10n from '@vscode/l10n';
import { html, type TemplateResult } from 'lit';

/** "Results": the Results tab, and the accessible name of each kind's list of results. */
export function resultsLabel(): string {
  return l10n.t({ message: 'Results', comment: ["the run's results: a tab of the panel, and the list in it"] });
}

/** A VS Code button; its accessible name defaults to its label (an icon-only one must pass a name). */
export function button(label: string, icon: string, onClick: () => void, options: { secondary?: boolean; name?: string } = {}): TemplateResult {
  return html`<vscode-button icon=${icon} ?secondary=${options.secondary === true} aria-label=${options.name ?? label} @click=${onClick}>${label}</vscode-button>`;
}

/** Icon-only buttons leave room for the file name in a narrow sidebar; their names say what they do. */
export function iconButton(icon: string, name: string, onClick: () => void): TemplateResult {
  return html`<vscode-button icon=${icon} secondary aria-label=${name} title=${name} class="icon-only" @click=${onClick}></vscode-button>`;
}

/** Text that acts as a button (a file name to open or preview). */
export function linkButton(text: string, name: string, onClick: () => void): TemplateResult {
  return html`<button class="label link" aria-label=${name} title=${name} @click=${onClick}>${text}</button>`;
}

/** Enter or Space on a row with role=button does what a click does. */
export function onActivateKey(action: () => void, keys: readonly string[] = ['Enter']): (event: KeyboardEvent) => void {
  return (event) => {
    if (!keys.includes(event.key)) return;
    event.preventDefault();
    action();
  };
}
