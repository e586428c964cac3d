import fs from 'node:fs';
import path from 'node:path';
import {
  CATALOGUES,
  isMessageKey,
  isProblemCode,
  negotiateLanguage,
} from '../../src/http/messages/catalogue';
import { EN } from '../../src/http/messages/en';

const placeholders = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
// What English says as a summary of fields, other languages say with the count and the paths.
const SUMMARY_PARAMS = new Set(['summary', 'count', 'paths']);

test('every language has a title for every code and a detail for every key, with the same placeholders', () => {
  for (const [language, catalogue] of Object.entries(CATALOGUES)) {
    expect([language, Object.keys(catalogue.titles).sort()]).toEqual([
      language,
      Object.keys(EN.titles).sort(),
    ]);
    expect([language, Object.keys(catalogue.details).sort()]).toEqual([
      language,
      Object.keys(EN.details).sort(),
    ]);
    for (const [key, english] of Object.entries(EN.details)) {
      const theirs = (catalogue.details as Record<string, string>)[key]!;
      expect(theirs.trim()).not.toBe('');
      const expected = placeholders(english);
      const allowed = expected.has('summary') ? SUMMARY_PARAMS : expected;
      for (const name of placeholders(theirs))
        expect([language, key, name, allowed.has(name)]).toEqual([language, key, name, true]);
      if (!expected.has('summary')) {
        for (const name of expected)
          expect([language, key, name, placeholders(theirs).has(name)]).toEqual([language, key, name, true]);
      }
    }
  }
});

test('the Chinese catalogue is Chinese, not English left in place', () => {
  const zh = CATALOGUES['zh-CN'];
  for (const [code, title] of Object.entries(zh.titles))
    expect([code, /[\u4e00-\u9fff]/.test(title)]).toEqual([code, true]);
  for (const [key, detail] of Object.entries(zh.details)) {
    // A detail that is only a pass-through of a reason from elsewhere has no words of its own.
    if (/^\{\w+\}$/.test(detail)) continue;
    expect([key, /[\u4e00-\u9fff]/.test(detail)]).toEqual([key, true]);
  }
});

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

// Codes that name no problem answer: an import's per-line reasons and a run's stored failure.
const NOT_PROBLEMS = new Set(['line_too_long', 'invalid_json', 'invalid_csv', 'interrupted']);

test('every problem code and message key the code throws has its catalogue entries', () => {
  const sources = sourceFiles(path.join(__dirname, '../../src')).filter(
    (f) => !f.includes(`${path.sep}messages${path.sep}`),
  );
  const missingKeys: string[] = [];
  const missingCodes: string[] = [];
  const thrown = /new (?:BadRequest|NotFound|Conflict|Unprocessable)Error\(\s*'([a-z_.]+)'/g;
  const rowCodes = /\.add\(\s*[^,]+,\s*'[^']*',\s*'([a-z_]+)'|\bcode: '([a-z_]+)'/g;
  for (const file of sources) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(thrown))
      if (!isMessageKey(m[1]!)) missingKeys.push(`${path.basename(file)}: ${m[1]}`);
    for (const m of text.matchAll(rowCodes)) {
      const code = m[1] ?? m[2]!;
      if (!isProblemCode(code) && !NOT_PROBLEMS.has(code))
        missingCodes.push(`${path.basename(file)}: ${code}`);
    }
  }
  expect(missingKeys).toEqual([]);
  expect(missingCodes).toEqual([]);
});

test('Accept-Language picks Chinese for any Chinese tag by weight, English otherwise', () => {
  expect(negotiateLanguage(undefined)).toBe('en');
  expect(negotiateLanguage('zh-CN')).toBe('zh-CN');
  expect(negotiateLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
  expect(negotiateLanguage('zh-Hans-CN')).toBe('zh-CN');
  expect(negotiateLanguage('zh-TW')).toBe('zh-CN');
  expect(negotiateLanguage('en-US,en;q=0.9,zh;q=0.5')).toBe('en');
  expect(negotiateLanguage('fr-FR, zh;q=0.3')).toBe('zh-CN');
  expect(negotiateLanguage('de, fr')).toBe('en');
  expect(negotiateLanguage('*')).toBe('en');
  expect(negotiateLanguage('zh;q=0')).toBe('en');
});
