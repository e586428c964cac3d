import type { Knex } from 'knex';

/**
 * Text search for Chinese (and Japanese, Korean) text, and over addresses and notes.
 *
 * A trigram index cannot answer a query shorter than three characters, yet one character is
 * the commonest Chinese search (a surname). Each customer therefore also carries the distinct
 * single characters and adjacent pairs of every CJK run of its search text, in a GIN-indexed
 * array the database keeps itself (a generated column: no writer can forget it). A query
 * looks up its own characters or pairs there; the LIKE beside it checks order and adjacency.
 * The ranges match src/domain/text/cjk-grams.ts. See docs/design.md, "Text search".
 *
 * The search text now also holds the addresses and the notes; existing rows get them here.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION crm_cjk_grams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT coalesce(array_agg(DISTINCT substr(m.run, i, n)), '{}')
      FROM (SELECT (regexp_matches(t,
              '[\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\U00020000-\\U0002ffff]+',
              'g'))[1] AS run) m,
           generate_series(1, char_length(m.run)) AS i,
           (VALUES (1), (2)) AS v(n)
      WHERE i + n - 1 <= char_length(m.run)
    $$`);
  await knex.raw(`
    UPDATE customers SET search_text = lower(concat_ws(' ', search_text,
      (SELECT string_agg(concat_ws(' ', a->>'line1', a->>'line2', a->>'city', a->>'region', a->>'postalCode'), ' ')
         FROM jsonb_array_elements(addresses) AS a),
      notes))
    WHERE addresses <> '[]'::jsonb OR notes IS NOT NULL`);
  await knex.raw(
    'ALTER TABLE customers ADD COLUMN search_grams text[] GENERATED ALWAYS AS (crm_cjk_grams(search_text)) STORED',
  );
  await knex.raw('CREATE INDEX customers_search_grams_gin ON customers USING gin (search_grams)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE customers DROP COLUMN search_grams');
  await knex.raw('DROP FUNCTION crm_cjk_grams(text)');
}
