import type { Knex } from 'knex';
import type { CursorPosition } from '../../http/pagination';

export interface CategoryRow {
  id: string;
  name: string;
  description: string | null;
  standard_answer: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export class CategoryRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async insert(row: Omit<CategoryRow, 'version'>, trx: Knex.Transaction): Promise<CategoryRow> {
    const [created] = await trx('complaint_categories').insert(row).returning('*');
    return created as CategoryRow;
  }

  async findById(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<CategoryRow | undefined> {
    const q = this.db(trx)('complaint_categories').where({ id }).first();
    if (forUpdate) q.forUpdate();
    return q as Promise<CategoryRow | undefined>;
  }

  async findByName(name: string, trx: Knex.Transaction): Promise<CategoryRow | undefined> {
    return trx('complaint_categories').where({ name }).first();
  }

  async update(
    id: string,
    version: number,
    columns: Partial<Pick<CategoryRow, 'name' | 'description' | 'standard_answer'>> & { updated_at: Date },
    trx: Knex.Transaction,
  ): Promise<CategoryRow | undefined> {
    const [row] = await trx('complaint_categories')
      .where({ id, version })
      .update({ ...columns, version: version + 1 })
      .returning('*');
    return row as CategoryRow | undefined;
  }

  async isUsed(id: string, trx: Knex.Transaction): Promise<boolean> {
    return Boolean(await trx('complaints').where({ category_id: id }).first('id'));
  }

  async delete(id: string, trx: Knex.Transaction): Promise<void> {
    await trx('complaint_categories').where({ id }).delete();
  }

  async list(limit: number, after?: CursorPosition): Promise<CategoryRow[]> {
    const q = this.knex('complaint_categories').select('*');
    if (after) q.where('id', '>', after.id);
    return q.orderBy('id').limit(limit + 1);
  }
}
