/**
 * The complaint's photos as thumbnails that open full size. Each is fetched with the session's
 * token in the Authorization header (api.blob) and shown from a blob: URL — the same for a
 * signed-in customer and for a signed link, and the link token never rides in an image URL
 * (history, Referer, access logs). The blob URLs are revoked when the page redraws or leaves.
 */
import { api } from '../../core/api';
import { h } from '../../core/dom';
import { t } from '../../i18n';
import type { CustomerComplaint } from './model';

export function photoGallery(c: CustomerComplaint, urls: Set<string>): HTMLElement | null {
  const images = c.attachments.filter((a) => !a.contentType || a.contentType.startsWith('image/'));
  if (images.length === 0) return null;
  return h('ul', { class: 'photo-grid', id: 'complaint-photos' }, ...images.map((a) => {
    const img = h('img', { alt: a.filename, loading: 'lazy' });
    const link = h('a', { class: 'photo-thumb', target: '_blank', rel: 'noopener', title: a.filename, 'data-attachment': a.id }, img);
    const path = a.href ?? `/api/complaints/${encodeURIComponent(c.id)}/attachments/${encodeURIComponent(a.id)}`;
    api.blob(path)
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        urls.add(url);
        img.src = url;
        link.href = url;
        link.download = a.filename;
      })
      .catch(() => { link.replaceChildren(h('span', { class: 'photo-missing' }, t('customer.photos.unavailable'))); });
    return h('li', {}, link);
  }));
}

/** Frees the blob URLs of a previous drawing. */
export function revokeAll(urls: Set<string>): void {
  urls.forEach((u) => URL.revokeObjectURL(u));
  urls.clear();
}
