/**
 * Every message of the web app exists in English and Simplified Chinese: each part of the app
 * keeps its messages in a `messages.ts` beside it (web/src/**\/messages.ts); this finds them all.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MessageBundle } from '../../../web/src/i18n';

const webSrc = path.resolve(__dirname, '../../../web/src');

function messageFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return messageFiles(full);
    return entry.name === 'messages.ts' ? [full] : [];
  });
}

const files = messageFiles(webSrc);

describe('web app messages', () => {
  it('finds the shell messages among the bundles', () => {
    expect(files.map((f) => path.relative(webSrc, f))).toContain(path.join('i18n', 'messages.ts'));
  });

  it.each(files.map((f) => [path.relative(webSrc, f), f]))('%s has every key in both languages, none empty', (_name, file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(file) as Record<string, MessageBundle>;
    const bundles = Object.values(module).filter((v): v is MessageBundle => typeof v === 'object' && v !== null && 'en' in v && 'zh-CN' in v);
    expect(bundles.length).toBeGreaterThan(0);
    for (const bundle of bundles) {
      expect(Object.keys(bundle['zh-CN']).sort()).toEqual(Object.keys(bundle.en).sort());
      const empty = [...Object.entries(bundle.en), ...Object.entries(bundle['zh-CN'])].filter(([, text]) => text.trim() === '');
      expect(empty).toEqual([]);
      // Placeholders must match, or a translation silently drops a value.
      for (const [key, text] of Object.entries(bundle.en)) {
        const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
        expect([key, names(bundle['zh-CN'][key] ?? '')]).toEqual([key, names(text)]);
      }
    }
  });
});
