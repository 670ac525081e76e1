// CSV for spreadsheets, shared by the downloads: RFC 4180 fields, CRLF lines, UTF-8 with a byte-order mark so Excel
// reads Vietnamese right, and no cell a spreadsheet would run as a formula.
import { LOCAL_OFFSET_MS } from '../domain/calendar-core';

export const BOM = '\uFEFF';

export type CsvCell = string | number | undefined;

/**
 * One field: numbers as they are; text quoted when it holds a comma, quote, CR or LF (quotes doubled), and, when it
 * starts like a formula (= + - @, tab, CR), led by an apostrophe so a spreadsheet shows it instead of running it.
 */
export function csvField(value: CsvCell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole document: the BOM, then each row's fields joined by commas, every line ended by CRLF. */
export function csvDocument(rows: readonly (readonly CsvCell[])[]): string {
  return `${BOM}${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** An instant as Vietnam local time with its offset: `2026-12-03T09:15:00+07:00`. */
export function localTime(iso: string): string {
  return `${new Date(Date.parse(iso) + LOCAL_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}
