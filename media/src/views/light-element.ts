import { LitElement } from 'lit';

/**
 * A LitElement that renders into itself instead of a shadow root, so
 * media/panel.css styles it and the CSP needs no style-src for constructed
 * stylesheets. Hosts are blocks (panel.css) so the layout is that of the old
 * sections.
 */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
