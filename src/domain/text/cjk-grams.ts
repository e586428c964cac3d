/**
 * Search grams for text in scripts written without spaces (Chinese, Japanese kana, Korean
 * Hangul). A trigram index cannot serve a one- or two-character query, and a Chinese surname
 * is one character, so customers also carry the distinct single characters and adjacent pairs
 * of every such run (see docs/design.md, "Text search"). The database computes the stored side
 * with the same ranges (migration 20261201114949); this computes the query side.
 */
export const CJK_RUN =
  /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2ffff}]+/gu;

/**
 * The grams a query must find among a customer's: a lone character itself, else the adjacent
 * pairs of each run (pairs select far better than single characters; the LIKE beside it
 * checks their order).
 */
export function queryGrams(query: string): string[] {
  const grams = new Set<string>();
  for (const run of query.match(CJK_RUN) ?? []) {
    const pairs = pairsOf(run);
    if (pairs.length === 0) grams.add(run);
    for (const pair of pairs) grams.add(pair);
  }
  return [...grams];
}

/** Every gram stored for a text: each character and each adjacent pair of its runs. */
export function storedGrams(text: string): string[] {
  const grams = new Set<string>();
  for (const run of text.match(CJK_RUN) ?? []) {
    for (const char of run) grams.add(char);
    for (const pair of pairsOf(run)) grams.add(pair);
  }
  return [...grams];
}

/** Adjacent pairs of code points (not UTF-16 units: a rare character may need two). */
function pairsOf(run: string): string[] {
  const pairs: string[] = [];
  let previous: string | undefined;
  for (const char of run) {
    if (previous !== undefined) pairs.push(previous + char);
    previous = char;
  }
  return pairs;
}
