import { html, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { LightElement } from './light-element';

export type RowRenderer<T> = (item: T, index: number) => TemplateResult;

/** The height of every row, in pixels: fixed, so the visible range follows from the scroll offset alone. */
export const ROW_HEIGHT = 22;

/** Rows rendered beyond the visible ones on each side, so a fast scroll shows no gap. */
const MARGIN = 10;

/**
 * Renders only the rows in view (plus a margin) of a long list with a fixed
 * row height, so 50,000 problems cost as much as 50. The element is itself
 * the scrolling box (`.virtual-list`); rows are keyed by index, so lit
 * updates the rows that stay in view instead of rebuilding them on scroll.
 * Sizes and offsets go through the CSSOM, which the panel's CSP allows (a
 * `style` attribute would need 'unsafe-inline').
 */
export class VirtualList<T> extends LightElement {
  static override properties: PropertyDeclarations = {
    items: { attribute: false },
    renderRow: { attribute: false },
    rowHeight: { attribute: false },
  };

  declare items: readonly T[];
  declare renderRow: RowRenderer<T>;
  declare rowHeight: number;
  private readonly resize = new ResizeObserver(() => this.requestUpdate());
  private readonly onScroll = (): void => this.requestUpdate();
  private focusedIndex: string | undefined;
  /** Where the rendered rows start, in pixels from the top of the list. */
  private offset = 0;

  constructor() {
    super();
    this.items = [];
    this.rowHeight = ROW_HEIGHT;
    this.renderRow = () => html``;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.classList.add('virtual-list');
    this.setAttribute('role', 'list');
    this.addEventListener('scroll', this.onScroll, { passive: true });
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    this.resize.disconnect();
    this.removeEventListener('scroll', this.onScroll);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The spacer sets the scroll height; it is sized before the visible range is measured against it.
    if (changed.has('items') || changed.has('rowHeight')) this.sizeSpacer();
    const active = document.activeElement;
    this.focusedIndex = active instanceof HTMLElement && this.window?.contains(active) ? active.dataset.index : undefined;
  }

  protected override render(): TemplateResult {
    const height = this.clientHeight || 400;
    const first = Math.max(0, Math.floor(this.scrollTop / this.rowHeight) - MARGIN);
    const last = Math.min(this.items.length, Math.ceil((this.scrollTop + height) / this.rowHeight) + MARGIN);
    const indices = Array.from({ length: Math.max(0, last - first) }, (_, i) => first + i);
    this.offset = first * this.rowHeight;
    return html`<div class="virtual-spacer"><div class="virtual-window">${repeat(indices, (i) => i, (i) => this.renderRow(this.items[i] as T, i))}</div></div>`;
  }

  protected override updated(): void {
    this.sizeSpacer();
    this.window?.style.setProperty('transform', `translateY(${this.offset}px)`);
    this.window?.style.setProperty('--row-height', `${this.rowHeight}px`);
    // A row whose kind changed was rebuilt: focus goes back to the same index, as a keyboard user expects.
    if (this.focusedIndex !== undefined && !this.window?.contains(document.activeElement)) {
      this.window?.querySelector<HTMLElement>(`[data-index="${this.focusedIndex}"]`)?.focus();
    }
  }

  private sizeSpacer(): void {
    this.spacer?.style.setProperty('height', `${this.items.length * this.rowHeight}px`);
  }

  private get spacer(): HTMLElement | null {
    return this.querySelector(':scope > .virtual-spacer');
  }

  private get window(): HTMLElement | null {
    return this.querySelector(':scope > .virtual-spacer > .virtual-window');
  }
}

customElements.define('pt-virtual-list', VirtualList);

declare global {
  interface HTMLElementTagNameMap {
    'pt-virtual-list': VirtualList<unknown>;
  }
}
