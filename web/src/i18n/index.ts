/**
 * English and Simplified Chinese. Each part of the app registers its own messages (a page's
 * `messages.ts`: `{ en: {...}, 'zh-CN': {...} }`), so pages never edit a shared dictionary.
 * A key missing in zh-CN falls back to English; tests/unit/web/i18n.test.ts checks that
 * every registered English key has a Chinese translation.
 */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export type Messages = Record<string, string>;
export type MessageBundle = { en: Messages; 'zh-CN': Messages };

const LOCALE_KEY = 'complaint-bpm.locale';
const dictionaries: Record<Locale, Messages> = { en: {}, 'zh-CN': {} };
const listeners = new Set<() => void>();

function initialLocale(): Locale {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(LOCALE_KEY);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  const browser = typeof navigator === 'undefined' ? 'en' : navigator.language;
  return browser.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

let current: Locale = initialLocale();

export function registerMessages(bundle: MessageBundle): void {
  Object.assign(dictionaries.en, bundle.en);
  Object.assign(dictionaries['zh-CN'], bundle['zh-CN']);
}

/** The message for `key` in the current locale, `{name}` placeholders filled from `vars`. */
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const template = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function locale(): Locale {
  return current;
}

export function setLocale(next: Locale): void {
  if (next === current) return;
  current = next;
  localStorage.setItem(LOCALE_KEY, next);
  document.documentElement.lang = next;
  listeners.forEach((l) => l());
}

export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** For the completeness test: English keys without a Chinese translation. */
export function untranslatedKeys(): string[] {
  return Object.keys(dictionaries.en).filter((k) => !(k in dictionaries['zh-CN']));
}
