/** Placeholder: this page is being built (see web/README.md). */
import { h, render } from '../../core/dom';

export default function page(root: HTMLElement): void {
  render(root, h('p', { class: 'notice' }, 'pages/customer/complaint: not built yet'));
}
