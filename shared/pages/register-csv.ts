// Form 07 as CSV (shared/pages/csv.ts: BOM, RFC 4180, formula-safe): a title block naming the branch, book and
// period, the form's header row, then one row per dossier. Times are Vietnam local (+07:00), days YYYY-MM-DD.
import type { Register } from '../schemas/register';
import { registerCells, registerColumns } from '../usecases/dossiers/register';
import { csvDocument, localTime } from './csv';

export function registerCsv(register: Register): string {
  return csvDocument([
    ['Mẫu số 07', 'SỔ THEO DÕI HỒ SƠ'],
    ['Đơn vị', `${register.unitName} (${register.unit})`],
    ['Sổ', register.book],
    ['Từ ngày', register.from, 'Đến ngày', register.to],
    [...registerColumns],
    ...register.rows.map((row) => registerCells(row, { time: localTime, day: (day) => day })),
  ]);
}

/** The download's file name: the branch and the period, nothing personal. */
export const registerFileName = (register: Pick<Register, 'unit' | 'from' | 'to'>, ext: 'csv' | 'pdf') =>
  `so-theo-doi-${register.unit}-${register.from}-${register.to}.${ext}`;
