/**
 * Evidence beside photos: a video clip from the phone's camera with where and when it was
 * taken, and its poster frame. The server has no video decoder, so the browser draws a frame of
 * the clip with <video> and <canvas> and sends it as the clip's thumbnail (decision 0051).
 * The evidence list shows photos and clips with their picture, time, place and who added them;
 * a clip plays in place. Files are fetched with the session's token (api.blob), never by URL.
 */
import { api } from '../../core/api';
import { formatTime, h, render } from '../../core/dom';
import { locale, t } from '../../i18n';
import { locate, safeFilename } from './photo';
import type { ComplaintDetail } from './model';

const POSTER_WIDTH = 640;

/** A JPEG of a frame near the start of the clip, or null when the browser cannot decode it. */
export function posterFrame(file: Blob, timeoutMs = 10_000): Promise<Blob | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement('video');
    let settled = false;
    const done = (result: Blob | null) => {
      if (settled) return;
      settled = true;
      window.clearTimeout(timer);
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
      resolve(result);
    };
    const timer = window.setTimeout(() => done(null), timeoutMs);
    video.muted = true;
    video.playsInline = true;
    video.preload = 'auto';
    video.addEventListener('error', () => done(null));
    // A video outside the page may not decode before it plays: play it, muted, and take a frame
    // a little way in (the very first frame of a phone clip is often black), or at its end if shorter.
    const target = () => (Number.isFinite(video.duration) && video.duration > 0 ? Math.min(0.5, video.duration / 2) : 0.5);
    const maybeDraw = () => {
      if (video.readyState >= 2 && video.videoWidth > 0 && (video.currentTime >= target() || video.ended)) draw();
    };
    video.addEventListener('timeupdate', maybeDraw);
    video.addEventListener('ended', maybeDraw);
    video.addEventListener('loadeddata', maybeDraw);
    let drawing = false;
    function draw() {
      if (settled || drawing) return;
      drawing = true;
      video.pause();
      const width = Math.min(POSTER_WIDTH, video.videoWidth || POSTER_WIDTH);
      const height = video.videoHeight ? Math.round((video.videoHeight / (video.videoWidth || 1)) * width) : Math.round(width * 0.5625);
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d');
      if (!context) return done(null);
      context.drawImage(video, 0, 0, width, height);
      canvas.toBlob((blob) => done(blob), 'image/jpeg', 0.8);
    }
    video.src = url;
    video.play().catch(() => done(null));
  });
}

/** Uploads the clip with its place and time, then its poster frame; says whether each went. */
export async function uploadVideo(complaintId: string, file: File): Promise<{ located: boolean; poster: boolean }> {
  const [where, poster] = await Promise.all([locate(), posterFrame(file)]);
  const stored = await api.upload<{ id: string }>(`/api/complaints/${encodeURIComponent(complaintId)}/attachments`, file, {
    filename: safeFilename(file.name || 'video.mp4'), takenAt: new Date(file.lastModified || Date.now()).toISOString(), ...(where ? { lat: where.lat, lon: where.lon } : {}),
  });
  if (poster) await api.upload(`/api/complaints/${encodeURIComponent(complaintId)}/attachments/${encodeURIComponent(stored.id)}/thumbnail`, poster);
  return { located: where !== null, poster: poster !== null };
}

/** The video button: records or picks a clip, uploads it with its place and poster frame, reports in words. */
export function videoInput(complaintId: string, onUploaded: (notice: string) => void, notice?: string | null): HTMLElement {
  const status = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  if (notice) status.textContent = notice;
  const input = h('input', { type: 'file', accept: 'video/mp4,video/webm,video/quicktime,video/*', capture: 'environment', id: 'task-video', class: 'visually-hidden' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) return;
    status.className = 'notice';
    status.textContent = t('evidence.uploading');
    uploadVideo(complaintId, file)
      .then(({ located, poster }) => {
        status.textContent = !poster ? t('evidence.noPoster') : located ? t('evidence.uploadedWithLocation') : t('evidence.uploaded');
        input.value = '';
        onUploaded(status.textContent);
      })
      .catch((err: unknown) => {
        status.className = 'error';
        status.textContent = t('evidence.failed', { message: (err as Error).message });
      });
  });
  return h('div', { class: 'photo-input' },
    h('p', { class: 'notice' }, t('evidence.videoHint')),
    h('label', { for: 'task-video', class: 'button-like' }, '▶ ', t('evidence.video')), input, status);
}

type Attachment = ComplaintDetail['attachments'][number];
const isVideo = (a: Attachment) => (a.contentType ?? '').startsWith('video/');

/** An <img> from a blob fetched with the token; the object URL is released once it is drawn. */
function picture(path: string, alt: string): HTMLImageElement {
  const img = h('img', { alt, class: 'evidence-picture', width: 96, height: 72 });
  api.blob(path).then((blob) => {
    const url = URL.createObjectURL(blob);
    img.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
    img.src = url;
  }).catch(() => { img.alt = `${alt} ✕`; });
  return img;
}

function evidenceItem(a: Attachment): HTMLElement {
  const where = a.geo ? ` · ${t('inbox.attachments.at', { lat: a.geo.lat.toFixed(4), lon: a.geo.lon.toFixed(4) })}` : '';
  const facts = h('p', { class: 'notice' }, formatTime(a.takenAt ?? a.uploadedAt, locale()), where, a.byName ? ` · ${t('evidence.by', { name: a.byName })}` : '');
  const media = h('div', { class: 'evidence-media' });
  if (isVideo(a)) {
    const play = h('button', { type: 'button', class: 'evidence-play', 'aria-label': t('evidence.play', { name: a.filename }), 'data-attachment': a.id },
      a.thumbnailHref ? picture(a.thumbnailHref, a.filename) : h('span', { class: 'evidence-placeholder' }, '▶'),
      h('span', { class: 'evidence-play-mark', 'aria-hidden': 'true' }, '▶'));
    play.addEventListener('click', () => {
      play.disabled = true;
      api.blob(a.href).then((blob) => {
        const video = h('video', { controls: true, playsinline: true, class: 'evidence-video', src: URL.createObjectURL(blob), 'data-attachment': a.id });
        render(media, video);
        void video.play().catch(() => undefined);
      }).catch(() => { play.disabled = false; });
    });
    media.append(play);
  } else {
    media.append(picture(a.href, a.filename));
  }
  return h('li', { class: 'evidence-item', 'data-kind': isVideo(a) ? 'video' : 'photo' }, media, h('div', { class: 'evidence-facts' }, h('span', { class: 'evidence-name' }, a.filename), facts));
}

/** Photos and videos of the complaint, newest first. */
export function evidenceCard(detail: ComplaintDetail): HTMLElement | null {
  if (!detail.attachments.length) return null;
  const newest = [...detail.attachments].sort((x, y) => y.uploadedAt.localeCompare(x.uploadedAt));
  return h('section', { class: 'card', id: 'evidence' },
    h('h3', {}, t('evidence.title', { count: detail.attachments.length })),
    h('ul', { class: 'plain evidence-list' }, ...newest.map(evidenceItem)));
}
