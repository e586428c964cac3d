import type { Knex } from 'knex';

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** One table per run, named by the run's id (the analytics module makes them the same way). */
const partitionName = (runId: string) => `customer_values_${runId.replace(/-/g, '')}`;

/**
 * customer_values becomes a table partitioned by run: a run loads its snapshot with COPY into
 * a table of its own, indexes it in bulk and attaches it when it publishes; a superseded
 * snapshot is dropped, not deleted row by row. Within a partition run_id is constant, so the
 * list indexes no longer lead with it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE customer_values RENAME TO customer_values_unpartitioned');
  await knex.raw(
    'CREATE TABLE customer_values (LIKE customer_values_unpartitioned INCLUDING DEFAULTS) PARTITION BY LIST (run_id)',
  );
  // Labels from fixed lists, filtered by equality and never sorted for people: byte order ("C")
  // lets an index build sort them by memcmp, about twice as fast as the database's locale.
  for (const column of ['rfm_code', 'rfm_segment', 'value_class', 'churn_status']) {
    await knex.raw('ALTER TABLE customer_values ALTER COLUMN ?? TYPE text COLLATE "C"', [column]);
  }
  const runs: Array<{ run_id: string }> = await knex('customer_values_unpartitioned').distinct('run_id');
  for (const { run_id: runId } of runs) {
    // DDL takes no bind parameters: the value is inlined as a quoted literal.
    await knex.raw(`CREATE TABLE ?? PARTITION OF customer_values FOR VALUES IN (${quote(runId)})`, [
      partitionName(runId),
    ]);
    await knex.raw(
      'INSERT INTO customer_values SELECT * FROM customer_values_unpartitioned WHERE run_id = ?',
      [runId],
    );
  }
  await knex.raw('DROP TABLE customer_values_unpartitioned');
  await knex.raw('ALTER TABLE customer_values ADD PRIMARY KEY (run_id, customer_id)');
  // Labels are filtered by equality only; a label index without the customer id is about a
  // third cheaper to build, which every run does.
  await knex.raw('CREATE INDEX customer_values_class ON customer_values (value_class)');
  await knex.raw('CREATE INDEX customer_values_segment ON customer_values (rfm_segment)');
  await knex.raw('CREATE INDEX customer_values_clv ON customer_values (clv_predicted, customer_id)');
  await knex.raw('CREATE INDEX customer_values_p_alive ON customer_values (p_alive, customer_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE customer_values RENAME TO customer_values_partitioned');
  await knex.raw(
    'CREATE TABLE customer_values (LIKE customer_values_partitioned INCLUDING DEFAULTS, PRIMARY KEY (run_id, customer_id))',
  );
  await knex.raw('INSERT INTO customer_values SELECT * FROM customer_values_partitioned');
  await knex.raw('DROP TABLE customer_values_partitioned');
  await knex.raw(
    'ALTER TABLE customer_values ADD FOREIGN KEY (run_id) REFERENCES analytics_runs (id) ON DELETE CASCADE',
  );
  await knex.raw('CREATE INDEX customer_values_class ON customer_values (run_id, value_class, customer_id)');
  await knex.raw(
    'CREATE INDEX customer_values_segment ON customer_values (run_id, rfm_segment, customer_id)',
  );
  await knex.raw('CREATE INDEX customer_values_clv ON customer_values (run_id, clv_predicted, customer_id)');
  await knex.raw('CREATE INDEX customer_values_p_alive ON customer_values (run_id, p_alive, customer_id)');
}
