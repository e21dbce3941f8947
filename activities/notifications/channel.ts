/**
 * One interface for every way the service tells people something: e-mail, a subscriber's
 * webhook, a group robot. A channel turns a Notification into its own wire format and
 * delivers it, throwing the catalog's PermanentError / TransientError when it cannot.
 * Which mailbox, URL or robot it reaches is the channel's Target, not part of the message.
 */
import type { IntegrationContext } from '../catalog/types';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What to say. Each channel uses the fields its medium has and ignores the others. */
export interface Notification {
  /** E-mail recipients. */
  to?: string[];
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
  /** E-mail subject; a robot's markdown title; a webhook's `subject`. */
  subject?: string;
  /** Plain text: always present, the fallback of every richer form. */
  text: string;
  /** Robots send this instead of `text` when present. */
  markdown?: string;
  /** E-mail only: the HTML alternative to `text`. */
  html?: string;
  /** Robot user ids to @-mention (WeCom userid, DingTalk userId, Feishu open_id). */
  mentions?: string[];
  /** Mobile numbers to @-mention (WeCom, DingTalk). */
  mentionMobiles?: string[];
  /** @all in a robot's group. */
  mentionAll?: boolean;
  /** Structured payload for machine receivers (webhook). */
  data?: Record<string, JsonValue>;
}

export interface Delivery {
  delivered: true;
  /** The receiver's handle on the message, when it has one (e-mail: the Message-ID). */
  id?: string;
  /** E-mail: recipients the server accepted and refused (a partial refusal still delivers). */
  accepted?: number;
  rejected?: number;
}

export interface ChannelContext<Target> extends IntegrationContext {
  target: Target;
  /** Bound on the whole delivery attempt. */
  timeoutMs: number;
}

export interface NotificationChannel<Target> {
  /** `email`, `webhook`, `wecom`, `dingtalk`, `feishu`: the suffix of the task type `notify.<type>`. */
  readonly type: string;
  send(message: Notification, ctx: ChannelContext<Target>): Promise<Delivery>;
}
