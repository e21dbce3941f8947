/**
 * Evidence beside photos (issue 14 item 5, decision 0051): short video clips (MP4, WebM,
 * QuickTime) stored like photos, each with a poster frame the browser captured at upload
 * (there is no ffmpeg on the server to make one), and who uploaded what, taken from the
 * session. The content type a client claims is checked against the file's first bytes.
 */
import type { AuthUser } from '../auth/context';

type Sniffer = (b: Buffer) => boolean;

/** ISO base media (MP4, QuickTime): a box size, then `ftyp` and the major brand. */
const brandOf = (b: Buffer) => (b.length >= 12 && b.subarray(4, 8).toString('latin1') === 'ftyp' ? b.subarray(8, 12).toString('latin1') : null);
/** QuickTime files of older cameras start with another atom than `ftyp`. */
const QUICKTIME_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

export const VIDEO_TYPES: Readonly<Record<string, Sniffer>> = {
  'video/mp4': (b) => { const brand = brandOf(b); return brand !== null && brand !== 'qt  '; },
  'video/quicktime': (b) => brandOf(b) === 'qt  ' || (b.length >= 8 && QUICKTIME_ATOMS.has(b.subarray(4, 8).toString('latin1'))),
  // EBML header, and the document type `webm` inside it (Matroska proper is not WebM).
  'video/webm': (b) => b.length > 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3 && b.subarray(0, 64).includes('webm', 0, 'latin1'),
};

export const isVideoType = (contentType: string) => Object.prototype.hasOwnProperty.call(VIDEO_TYPES, contentType);

/** A poster frame is small: the browser draws the video's first frame at most 640 px wide. */
export const THUMBNAIL_MAX_BYTES = 512 * 1024;

/** The id the poster frame of an attachment is stored under, beside the attachment's own bytes. */
export const thumbnailFileId = (attachmentId: string) => `${attachmentId}.thumbnail`;

/** Who did something on a complaint, as the timeline and the evidence name them: never from the request body. */
export interface Actor {
  /** `staff:<user id>` or `customer:<customer id>` */
  who: string;
  /** A staff member's name (a customer's is personal data and stays out). */
  name: string | null;
}

/** The actor of a request: the signed-in user, or the customer of a link or customer account. */
export function actorOf(user: AuthUser, customerId: string, isCustomer: boolean): Actor {
  return isCustomer ? { who: `customer:${customerId}`, name: null } : { who: `staff:${user.id}`, name: user.name };
}

/** A timeline entry's author fields: the name only when there is one. */
export const entryBy = (actor: Actor) => ({ who: actor.who, ...(actor.name ? { name: actor.name } : {}) });
