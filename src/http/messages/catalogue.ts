/**
 * Problem titles and details in the languages the API speaks (docs/api.md "Languages"). A
 * thrown error names a message key and its parameters; the error handler renders them in the
 * caller's language when it answers. The key's part before the first `.` is the problem's
 * `code`, the same in every language; what follows tells variants of one code apart
 * (`customer_not_found.external_id`).
 */
import { EN } from './en';
import { ZH_CN } from './zh-cn';

export type MessageKey = keyof typeof EN.details & string;
export type ProblemCode = keyof typeof EN.titles & string;
export type MessageParams = Readonly<Record<string, string | number | bigint>>;

export interface Catalogue {
  titles: Record<ProblemCode, string>;
  details: Record<MessageKey, string>;
}

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CATALOGUES: Record<Language, Catalogue> = { en: EN, 'zh-CN': ZH_CN };

export function codeOf(key: MessageKey): ProblemCode {
  const dot = key.indexOf('.');
  return (dot < 0 ? key : key.slice(0, dot)) as ProblemCode;
}

export const isMessageKey = (text: string): text is MessageKey => Object.hasOwn(EN.details, text);
export const isProblemCode = (text: string): text is ProblemCode => Object.hasOwn(EN.titles, text);

/** `{name}` placeholders replaced by the parameters; an unknown placeholder stays as written. */
export function fill(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function render(
  key: MessageKey,
  params: MessageParams,
  language: Language,
): { title: string; detail: string } {
  const catalogue = CATALOGUES[language];
  // Every catalogue has every key: its type says so, and test/http/messages.test.ts checks it.
  return { title: catalogue.titles[codeOf(key)], detail: fill(catalogue.details[key], params) };
}

/**
 * The language of an Accept-Language header (RFC 9110 12.5.4): the supported one with the
 * highest weight; any Chinese tag (zh, zh-CN, zh-Hans, zh-SG, ...) is answered in simplified
 * Chinese; English otherwise.
 */
export function negotiateLanguage(header: string | undefined): Language {
  if (!header) return 'en';
  let best: Language = 'en';
  let bestWeight = 0;
  for (const part of header.split(',', 20)) {
    const [tag = '', ...options] = part.trim().split(';');
    const q = options.map((o) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/i.exec(o)?.[1]).find(Boolean);
    const weight = q === undefined ? 1 : Number(q);
    const language = languageOfTag(tag.trim().toLowerCase());
    if (language && weight > bestWeight) {
      best = language;
      bestWeight = weight;
    }
  }
  return best;
}

function languageOfTag(tag: string): Language | undefined {
  // Simplified Chinese for every Chinese tag: closer to a reader of traditional script than English.
  if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  if (tag === 'en' || tag.startsWith('en-') || tag === '*') return 'en';
  return undefined;
}
