/**
 * DingTalk (钉钉) custom robot: POST https://oapi.dingtalk.com/robot/send?access_token=<key>
 * with `{ msgtype: 'text', text: { content }, at }` or
 * `{ msgtype: 'markdown', markdown: { title, text }, at }`,
 * `at = { atMobiles, atUserIds, isAtAll }`. A mention only shows when the content names it
 * (`@13800000000`), so missing ones are appended. With a secret ("加签"), the URL gets
 * `timestamp` (ms) and `sign` = base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)).
 */
import { createHmac } from 'node:crypto';
import type { Notification } from './channel';
import type { RobotSpec } from './robot';
import { errcodeOutcome, robotChannel } from './robot';

export function dingtalkSign(secret: string, timestampMs: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

function payload(m: Notification): Record<string, unknown> {
  const mobiles = m.mentionMobiles ?? [];
  const ids = m.mentions ?? [];
  const at = {
    ...(mobiles.length ? { atMobiles: mobiles } : {}),
    ...(ids.length ? { atUserIds: ids } : {}),
    isAtAll: m.mentionAll === true,
  };
  const named = (content: string) => {
    const missing = [...mobiles, ...ids].map((x) => `@${x}`).filter((tag) => !content.includes(tag));
    return missing.length ? `${content}\n${missing.join(' ')}` : content;
  };
  if (m.markdown !== undefined) {
    const title = m.subject ?? (m.text.split('\n')[0] ?? '').slice(0, 64);
    return { msgtype: 'markdown', markdown: { title, text: named(m.markdown) }, at };
  }
  return { msgtype: 'text', text: { content: named(m.text) }, at };
}

export const dingtalkRobot: RobotSpec = {
  type: 'dingtalk',
  label: 'DingTalk',
  urlForKey: (token) => `https://oapi.dingtalk.com/robot/send?access_token=${encodeURIComponent(token)}`,
  payload,
  sign(secret, nowMs, url) {
    const timestamp = String(nowMs);
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('sign', dingtalkSign(secret, timestamp));
  },
  outcome: errcodeOutcome,
  // 300001/300005: token is not exist; 310000: sign, keyword, IP or timestamp check failed;
  // 130101/410100: sending too fast; -1: system busy.
  authCodes: [300001, 300005, 310000],
  rateCodes: [130101, 410100],
  busyCodes: [-1],
};

export const dingtalkChannel = robotChannel(dingtalkRobot);
