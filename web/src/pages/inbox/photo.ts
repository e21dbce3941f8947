/**
 * A photo from the phone's camera with where and when it was taken: the file goes as the raw
 * body of POST /api/complaints/{id}/attachments, the device's position (if the user allows it)
 * as lat/lon and the capture time as takenAt in the query (server/complaints/attachments.ts).
 */
import { api } from '../../core/api';
import { h } from '../../core/dom';
import { t } from '../../i18n';

/** The device's position, or null when refused, unavailable or slow: the photo goes without it. */
export function locate(timeoutMs = 8000): Promise<{ lat: number; lon: number } | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

/** A file name the attachments route accepts (letters, digits, space . _ -), never empty. */
export function safeFilename(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9 ._-]/g, '_');
  if (!/[A-Za-z0-9]/.test(cleaned)) return 'photo.jpg';
  return (/^[A-Za-z0-9]/.test(cleaned) ? cleaned : `photo${cleaned}`).slice(0, 200);
}

export async function uploadPhoto(complaintId: string, file: File, withLocation = true): Promise<{ located: boolean }> {
  const where = withLocation ? await locate() : null;
  const takenAt = new Date(file.lastModified || Date.now()).toISOString();
  await api.upload(`/api/complaints/${encodeURIComponent(complaintId)}/attachments`, file, {
    filename: safeFilename(file.name), takenAt, ...(where ? { lat: where.lat, lon: where.lon } : {}),
  });
  return { located: where !== null };
}

/** A camera icon drawn inline (an emoji may have no glyph on the device). */
export function cameraIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  const body = document.createElementNS(ns, 'path');
  body.setAttribute('d', 'M4 7h3l2-3h6l2 3h3a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z');
  const lens = document.createElementNS(ns, 'circle');
  lens.setAttribute('cx', '12');
  lens.setAttribute('cy', '13');
  lens.setAttribute('r', '4');
  for (const part of [body, lens]) {
    part.setAttribute('fill', 'none');
    part.setAttribute('stroke', 'currentColor');
    part.setAttribute('stroke-width', '2');
    svg.append(part);
  }
  return svg;
}

/** The camera button: takes or picks a photo, uploads it with its location, reports in words. */
/**
 * `onUploaded` gets the confirmation shown; a caller that re-renders the card passes it back
 * as `notice`, so the confirmation outlives the refresh it triggers.
 */
export function photoInput(complaintId: string, onUploaded: (notice: string) => void, id = 'task-photo', notice?: string | null): HTMLElement {
  const status = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  if (notice) status.textContent = notice;
  const input = h('input', { type: 'file', accept: 'image/*', capture: 'environment', id, class: 'visually-hidden' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) return;
    status.className = 'notice';
    status.textContent = t('photo.uploading');
    uploadPhoto(complaintId, file)
      .then(({ located }) => {
        status.textContent = located ? t('photo.uploadedWithLocation') : t('photo.uploaded');
        input.value = '';
        onUploaded(status.textContent);
      })
      .catch((err: unknown) => {
        status.className = 'error';
        status.textContent = t('photo.failed', { message: (err as Error).message });
      });
  });
  return h('div', { class: 'photo-input' },
    h('label', { for: id, class: 'button-like' }, cameraIcon(), t('photo.take')), input, status);
}
