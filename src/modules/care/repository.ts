import type { Knex } from 'knex';
import { arrayLiteral } from '../../db/array-literal';
import { valueJoinOn } from '../shared/value-at-stake';

/** A customer as an occasion shows it, with the current run's class and predicted CLV. */
export interface CareCustomerRow {
  id: string;
  name: string;
  owner: string | null;
  value_class: string | null;
  clv_predicted: number | string | null;
}

export interface BirthdayRow extends CareCustomerRow {
  birthday: string;
}

export interface LunarBirthdayRow extends CareCustomerRow {
  lunar_birthday_month: number;
  lunar_birthday_day: number;
  lunar_birthday_leap: boolean;
}

export interface FirstPurchaseRow extends CareCustomerRow {
  first_purchase: string;
}

const CUSTOMER_SQL = 'c.id, c.name, c.owner, v.value_class, v.clv_predicted';

/**
 * The customers with an occasion in a window of days, found by keys the domain computes from
 * the window's days (month-days, lunar month-day-leap keys), so only those rows are read.
 */
export class CareRepository {
  constructor(private readonly knex: Knex) {}

  private async rows<T>(sql: string, keys: string[], owner: string | undefined): Promise<T[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.knex.raw<{ rows: T[] }>(`${sql} AND (?::text IS NULL OR c.owner = ?::text)`, [
      arrayLiteral(keys),
      owner ?? null,
      owner ?? null,
    ]);
    return rows;
  }

  /** Live customers greeted by their Gregorian birthday whose month-day is one of `keys`. */
  async birthdays(monthDays: string[], owner?: string): Promise<BirthdayRow[]> {
    return this.rows(
      `SELECT ${CUSTOMER_SQL}, to_char(c.birthday, 'YYYY-MM-DD') AS birthday
         FROM customers c LEFT JOIN customer_values v ON ${valueJoinOn('c.id')}
        WHERE c.deleted_at IS NULL AND c.birthday_calendar = 'gregorian' AND c.birthday IS NOT NULL
          AND to_char(c.birthday, 'MM-DD') = ANY(?::text[])`,
      monthDays,
      owner,
    );
  }

  /** Live customers greeted by their lunar birthday whose `month-day-leap` key is one of `keys`. */
  async lunarBirthdays(lunarKeys: string[], owner?: string): Promise<LunarBirthdayRow[]> {
    return this.rows(
      `SELECT ${CUSTOMER_SQL}, c.lunar_birthday_month, c.lunar_birthday_day, c.lunar_birthday_leap
         FROM customers c LEFT JOIN customer_values v ON ${valueJoinOn('c.id')}
        WHERE c.deleted_at IS NULL AND c.birthday_calendar = 'lunar' AND c.lunar_birthday_month IS NOT NULL
          AND (c.lunar_birthday_month::text || '-' || c.lunar_birthday_day::text || '-'
               || coalesce(c.lunar_birthday_leap, false)::text) = ANY(?::text[])`,
      lunarKeys,
      owner,
    );
  }

  /** Live customers whose first counted purchase (UTC day) has one of these month-days. */
  async firstPurchases(monthDays: string[], owner?: string): Promise<FirstPurchaseRow[]> {
    return this.rows(
      `WITH firsts AS (
         SELECT customer_id, min(ordered_at) AS first FROM orders
          WHERE status NOT IN ('cancelled', 'returned') GROUP BY customer_id)
       SELECT ${CUSTOMER_SQL}, to_char(f.first AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS first_purchase
         FROM firsts f JOIN customers c ON c.id = f.customer_id
         LEFT JOIN customer_values v ON ${valueJoinOn('c.id')}
        WHERE c.deleted_at IS NULL AND to_char(f.first AT TIME ZONE 'UTC', 'MM-DD') = ANY(?::text[])`,
      monthDays,
      owner,
    );
  }
}
