/**
 * Feishu / Lark (飞书) custom bot: POST https://open.feishu.cn/open-apis/bot/v2/hook/<key>
 * (Lark: a `url` on open.larksuite.com) with `{ msg_type: 'text', content: { text } }`, or for
 * markdown an interactive card whose one element is `lark_md`. Mentions are `<at>` tags
 * with open_ids (the webhook cannot mention by phone number). With a secret ("签名校验"),
 * the body gets `timestamp` (seconds) and `sign` = base64(HMAC-SHA256 keyed with
 * timestamp + "\n" + secret over the empty string).
 */
import { createHmac } from 'node:crypto';
import type { Notification } from './channel';
import type { RobotOutcome, RobotSpec } from './robot';
import { robotChannel } from './robot';

export function feishuSign(secret: string, timestampSeconds: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

function payload(m: Notification): Record<string, unknown> {
  const ids = m.mentions ?? [];
  if (m.markdown !== undefined) {
    const tags = [...ids.map((id) => `<at id=${id}></at>`), ...(m.mentionAll ? ['<at id=all></at>'] : [])].join(' ');
    return {
      msg_type: 'interactive',
      card: {
        config: { wide_screen_mode: true },
        ...(m.subject !== undefined ? { header: { title: { tag: 'plain_text', content: m.subject } } } : {}),
        elements: [{ tag: 'div', text: { tag: 'lark_md', content: tags ? `${m.markdown}\n${tags}` : m.markdown } }],
      },
    };
  }
  const tags = [...ids.map((id) => `<at user_id="${id}"></at>`), ...(m.mentionAll ? ['<at user_id="all">所有人</at>'] : [])].join(' ');
  return { msg_type: 'text', content: { text: tags ? `${m.text}\n${tags}` : m.text } };
}

/** `{ code, msg }`; older bots answer `{ StatusCode, StatusMessage }`. */
function outcome(body: unknown): RobotOutcome | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { code?: unknown; msg?: unknown; StatusCode?: unknown; StatusMessage?: unknown };
  if (typeof b.code === 'number') return { code: b.code, message: typeof b.msg === 'string' ? b.msg : '' };
  if (typeof b.StatusCode === 'number') return { code: b.StatusCode, message: typeof b.StatusMessage === 'string' ? b.StatusMessage : '' };
  return undefined;
}

export const feishuRobot: RobotSpec = {
  type: 'feishu',
  label: 'Feishu',
  urlForKey: (hook) => `https://open.feishu.cn/open-apis/bot/v2/hook/${encodeURIComponent(hook)}`,
  payload,
  sign(secret, nowMs, _url, body) {
    const timestamp = String(Math.floor(nowMs / 1000));
    body.timestamp = timestamp;
    body.sign = feishuSign(secret, timestamp);
  },
  outcome,
  // 19001: incoming webhook access token invalid; 19021: sign match fail or timestamp not
  // within an hour; 19022: IP not allowed; 11232: frequency limited.
  authCodes: [19001, 19021, 19022],
  rateCodes: [11232],
  busyCodes: [],
};

export const feishuChannel = robotChannel(feishuRobot);
