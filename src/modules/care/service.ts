import { addDays, monthDayKeysOfDay, windowOf } from '../../domain/care/calendar';
import { LUNAR_HOLIDAYS, lunarKeysOfDay } from '../../domain/care/lunar';
import {
  annualOccurrences,
  compareOccasions,
  holidaysIn,
  lunarOccurrences,
  type FixedHoliday,
  type OccasionSortKey,
} from '../../domain/care/occasions';
import { BadRequestError } from '../../http/http-errors';
import { decodeCursor, encodeCursor } from '../../http/pagination';
import type { CareCustomerRow, CareRepository } from './repository';
import type { Occasion, OccasionQuery } from './schemas';

const SORT = 'care';

function customerOf(row: CareCustomerRow): Occasion['customer'] {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner,
    valueClass: row.value_class,
    predictedClv: row.clv_predicted === null ? null : Number(row.clv_predicted),
  };
}

const keyOf = (o: Occasion): OccasionSortKey => ({
  clv: o.customer.predictedClv,
  date: o.date,
  customerId: o.customer.id,
  kind: o.kind,
});

/** The cursor carries the last item's sort key, so a page starts right after it. */
function cursorOf(o: Occasion): string {
  return encodeCursor({
    sort: SORT,
    value: JSON.stringify([o.customer.predictedClv, o.date, o.kind]),
    id: o.customer.id,
  });
}

function afterOf(cursor: string): OccasionSortKey {
  const position = decodeCursor(cursor, SORT);
  try {
    const [clv, date, kind] = JSON.parse(String(position.value)) as [number | null, string, string];
    if ((clv === null || typeof clv === 'number') && typeof date === 'string' && typeof kind === 'string')
      return { clv, date, kind, customerId: position.id };
  } catch {
    // falls through to the refusal
  }
  throw new BadRequestError('invalid_cursor', {});
}

/** Birthdays (Gregorian or lunar), first-purchase anniversaries and holidays in the next days (docs/care.md). */
export class CareService {
  constructor(
    private readonly care: CareRepository,
    private readonly fixedHolidays: readonly FixedHoliday[],
    private readonly clock: () => Date,
  ) {}

  async occasions(query: OccasionQuery) {
    const days = query.days ?? 30;
    const limit = query.limit ?? 50;
    const after = query.cursor ? afterOf(query.cursor) : undefined;
    const today = this.clock().toISOString().slice(0, 10);
    const window = windowOf(today, days);
    const dates = Array.from({ length: days }, (_, i) => addDays(today, i));
    const monthDays = [...new Set(dates.flatMap(monthDayKeysOfDay))];
    const lunarKeys = [...new Set(dates.flatMap(lunarKeysOfDay))];
    const [birthdays, lunar, firsts] = await Promise.all([
      this.care.birthdays(monthDays, query.owner),
      this.care.lunarBirthdays(lunarKeys, query.owner),
      this.care.firstPurchases(monthDays, query.owner),
    ]);
    const items: Occasion[] = [];
    for (const row of birthdays)
      for (const o of annualOccurrences(row.birthday, window))
        items.push({ ...o, kind: 'birthday', customer: customerOf(row) });
    for (const row of lunar) {
      const birthday = {
        month: Number(row.lunar_birthday_month),
        day: Number(row.lunar_birthday_day),
        leapMonth: row.lunar_birthday_leap === true,
      };
      for (const o of lunarOccurrences(birthday, window))
        items.push({ ...o, kind: 'lunar_birthday', customer: customerOf(row) });
    }
    for (const row of firsts)
      for (const o of annualOccurrences(row.first_purchase, window))
        items.push({ ...o, kind: 'anniversary', customer: customerOf(row) });
    const sorted = items.sort((a, b) => compareOccasions(keyOf(a), keyOf(b)));
    const rest = after ? sorted.filter((o) => compareOccasions(keyOf(o), after) > 0) : sorted;
    const page = rest.slice(0, limit);
    return {
      from: window.start,
      to: window.end,
      data: page,
      nextCursor: rest.length > limit ? cursorOf(page[page.length - 1]!) : null,
      holidays: holidaysIn(this.fixedHolidays, LUNAR_HOLIDAYS, window),
    };
  }
}
