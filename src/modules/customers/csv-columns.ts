import { Customer } from './schemas';

/**
 * The CSV columns of a customer, wherever customers go out as CSV (a page of GET /v1/customers,
 * the full export): every field of its GET, in schema order, so the two files read alike.
 */
export const CUSTOMER_CSV_COLUMNS = Object.keys(Customer.properties) as Array<keyof Customer & string>;
