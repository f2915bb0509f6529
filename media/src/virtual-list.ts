/**
 * Renders only the rows in view (plus a margin) of a long list with a fixed
 * row height, so 50,000 problems cost as much as 50. Rows are rebuilt on
 * scroll or when the data changes, never the whole list.
 */
export class VirtualList<T> {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly window: HTMLElement;
  private items: readonly T[] = [];
  private frame = 0;

  constructor(
    private readonly rowHeight: number,
    private readonly renderRow: (item: T, index: number) => HTMLElement,
    label: string,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'virtual-list';
    this.element.setAttribute('role', 'list');
    this.element.setAttribute('aria-label', label);
    this.spacer = document.createElement('div');
    this.window = document.createElement('div');
    this.window.className = 'virtual-window';
    this.spacer.append(this.window);
    this.element.append(this.spacer);
    this.element.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  setItems(items: readonly T[]): void {
    this.items = items;
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const margin = 10;
    const height = this.element.clientHeight || 400;
    const first = Math.max(0, Math.floor(this.element.scrollTop / this.rowHeight) - margin);
    const last = Math.min(this.items.length, Math.ceil((this.element.scrollTop + height) / this.rowHeight) + margin);
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const row = this.renderRow(this.items[i] as T, i);
      row.style.height = `${this.rowHeight}px`;
      row.setAttribute('role', 'listitem');
      rows.push(row);
    }
    this.window.style.transform = `translateY(${first * this.rowHeight}px)`;
    // Keep focus on the same row index when a re-render replaces the nodes.
    const focused = this.window.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.index : undefined;
    this.window.replaceChildren(...rows);
    if (focused !== undefined) (this.window.querySelector(`[data-index="${focused}"]`) as HTMLElement | null)?.focus();
  }
}
