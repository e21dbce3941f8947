/**
 * WeCom (企业微信) group robot: POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<key>
 * with `{ msgtype: 'text', text: { content, mentioned_list, mentioned_mobile_list } }` or
 * `{ msgtype: 'markdown', markdown: { content } }`. Text is at most 2048 bytes, markdown 4096;
 * longer content is cut. Markdown has no mention lists: mentions become `<@userid>` in it.
 * WeCom robots do not sign requests; the key is the secret.
 */
import type { Notification } from './channel';
import type { RobotSpec } from './robot';
import { errcodeOutcome, robotChannel, truncateUtf8 } from './robot';

export const WECOM_TEXT_MAX_BYTES = 2048;
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

function payload(m: Notification): Record<string, unknown> {
  if (m.markdown !== undefined) {
    const tags = (m.mentions ?? []).map((id) => `<@${id}>`).join('');
    const tail = tags ? `\n${tags}` : '';
    const content = truncateUtf8(m.markdown, WECOM_MARKDOWN_MAX_BYTES - Buffer.byteLength(tail, 'utf8')) + tail;
    return { msgtype: 'markdown', markdown: { content } };
  }
  const text: Record<string, unknown> = { content: truncateUtf8(m.text, WECOM_TEXT_MAX_BYTES) };
  const ids = [...(m.mentions ?? []), ...(m.mentionAll ? ['@all'] : [])];
  if (ids.length) text.mentioned_list = ids;
  if (m.mentionMobiles?.length) text.mentioned_mobile_list = m.mentionMobiles;
  return { msgtype: 'text', text };
}

export const wecomRobot: RobotSpec = {
  type: 'wecom',
  label: 'WeCom',
  urlForKey: (key) => `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`,
  payload,
  outcome: errcodeOutcome,
  // 93000: invalid webhook url (key); 45009: api freq out of limit; -1: system busy.
  authCodes: [93000],
  rateCodes: [45009],
  busyCodes: [-1],
};

export const wecomChannel = robotChannel(wecomRobot);
