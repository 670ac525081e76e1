// Form 07, the dossier register (sổ theo dõi hồ sơ): what a branch received in a period, in receipt order, read from
// its book (one Query partition per branch and year, page by page, never a Scan), with each result's return.
import { dayNumber, dayString, localParts } from '../../domain/calendar-core';
import type { Caller } from '../../domain/caller';
import { type Dossier, isTerminal, statusLabels } from '../../domain/dossier';
import { registerBook } from '../../domain/register';
import { AppError, ForbiddenError } from '../../errors';
import type { RegisterPdfInput } from '../../forms/register-pdf';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { Register, RegisterNote, RegisterRow } from '../../schemas/register';

export interface RegisterDeps {
  dossiers: Pick<DossierRepository, 'listReceived'>;
  catalogue: Pick<CatalogueRepository, 'branch'>;
  clock: () => Date;
}

/** Rows per Query page (a 1 MB page holds a few hundred dossiers). */
export const REGISTER_PAGE_SIZE = 500;
/** Past this an extract is no longer a document anyone prints: the caller is asked for a shorter period. */
export const REGISTER_MAX_ROWS = 5_000;

/**
 * Officers and supervisors of the branch; anyone else is refused with 403, as the payment report refuses: the unit is
 * named in the path, so the refusal says nothing the caller did not know. Admins see no dossier (access.ts), so none.
 */
function assertBranchStaff(caller: Caller, unit: string): void {
  if (caller.kind !== 'staff' || !caller.branch) {
    throw new ForbiddenError('This needs a staff account scoped to a branch', 'NO_BRANCH_SCOPE');
  }
  const staff = caller.roles.includes('officer') || caller.roles.includes('supervisor');
  if (!staff || caller.branch !== unit) {
    throw new ForbiddenError("Only the branch's own officers and supervisors read its register");
  }
}

/** The instant a Vietnam-local day starts, as the ISO string receipts are stored in. */
const dayStart = (day: number) => new Date(day * 86_400_000 - 7 * 3_600_000).toISOString();

export async function dossierRegister(
  input: { unit: string; from: string; to: string; caller: Caller },
  deps: RegisterDeps,
): Promise<Register> {
  assertBranchStaff(input.caller, input.unit);
  // A book is a year: an extract reads one book, so one partition.
  if (input.from.slice(0, 4) !== input.to.slice(0, 4)) {
    throw new AppError(
      'REGISTER_PERIOD_TOO_LONG',
      'A register extract covers days of one calendar year (one book); ask for each year apart',
      422,
      { from: input.from, to: input.to },
    );
  }
  const year = Number(input.from.slice(0, 4));
  const from = dayStart(dayNumber(input.from));
  const until = dayStart(dayNumber(input.to) + 1);
  const dossiers: Dossier[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.dossiers.listReceived(input.unit, year, from, until, {
      limit: REGISTER_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    dossiers.push(...page.items);
    if (dossiers.length > REGISTER_MAX_ROWS) {
      throw new AppError(
        'REGISTER_TOO_LARGE',
        `More than ${REGISTER_MAX_ROWS} dossiers were received in this period; ask for a shorter one`,
        422,
        { limit: REGISTER_MAX_ROWS },
      );
    }
    cursor = page.nextCursor;
  } while (cursor);
  const branch = await deps.catalogue.branch(input.unit);
  const today = dayString(localParts(deps.clock()).day);
  return {
    unit: input.unit,
    unitName: branch?.name.vi ?? input.unit,
    book: registerBook(input.unit, from).label,
    from: input.from,
    to: input.to,
    rows: registerRows(dossiers, today),
  };
}

/** The rows in receipt order (the code breaks a tie, as in the book's sort key), numbered from 1. */
export function registerRows(dossiers: readonly Dossier[], today: string): RegisterRow[] {
  return dossiers
    .filter((d) => d.receivedAt)
    .sort((a, b) => `${a.receivedAt}#${a.code}`.localeCompare(`${b.receivedAt}#${b.code}`))
    .map((dossier, i) => registerRow(dossier, i + 1, today));
}

function registerRow(dossier: Dossier, no: number, today: string): RegisterRow {
  const returned = dossier.result?.returned;
  const { applicant } = dossier;
  return {
    no,
    code: dossier.code,
    procedure: { code: dossier.procedure.code, name: dossier.procedure.name.vi },
    // The dossier records no count of sets: one filing is one set.
    sets: 1,
    applicant: {
      name: applicant.fullName,
      ...(applicant.address ? { address: applicant.address } : {}),
      ...(applicant.phone ? { phone: applicant.phone } : {}),
    },
    receivedAt: dossier.receivedAt!,
    ...(dossier.deadline ? { appointmentDay: dossier.deadline.appointmentDay } : {}),
    status: dossier.status,
    statusLabel: statusLabels[dossier.status],
    ...(returned
      ? {
          returned: {
            at: returned.at,
            method: returned.method,
            ...(returned.by ? { giver: returned.by.name } : {}),
            ...(returned.collector
              ? {
                  receiver: {
                    name: returned.collector.name,
                    idLast4: lastDigits(returned.collector.idNumber),
                    ...(returned.collector.authorization
                      ? { authorization: returned.collector.authorization }
                      : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
    notes: registerNotes(dossier, today),
  };
}

/** The register is a staff document, but an ID number is still personal data: its last 4 digits identify enough. */
export function lastDigits(idNumber: string): string {
  return idNumber.replace(/\D/g, '').slice(-4);
}

export function registerNotes(dossier: Dossier, today: string): RegisterNote[] {
  const notes: RegisterNote[] = [];
  const pauses = dossier.deadline?.pauses.length ?? 0;
  if (pauses > 0) {
    notes.push({
      kind: 'supplement',
      vi: `Yêu cầu bổ sung hồ sơ (${pauses} lần)`,
      en: `Supplement requested (${pauses}×)`,
    });
  }
  if (dossier.status === 'REJECTED') {
    const reason = dossier.rejection?.reason;
    notes.push({
      kind: 'rejected',
      vi: `Từ chối giải quyết${reason ? `: ${reason}` : ''}`,
      en: `Rejected${reason ? `: ${reason}` : ''}`,
    });
  }
  if (dossier.status === 'STOPPED') {
    const reason = dossier.stop?.reason;
    notes.push({
      kind: 'stopped',
      vi: `Dừng giải quyết${reason ? `: ${reason}` : ''}`,
      en: `Processing stopped${reason ? `: ${reason}` : ''}`,
    });
  }
  if (dossier.status === 'WITHDRAWN') {
    const reason = dossier.withdrawal?.reason;
    notes.push({
      kind: 'withdrawn',
      vi: `Công dân rút hồ sơ${reason ? `: ${reason}` : ''}`,
      en: `Withdrawn by the applicant${reason ? `: ${reason}` : ''}`,
    });
  }
  if (overdue(dossier, today)) notes.push({ kind: 'overdue', vi: 'Quá hạn', en: 'Overdue' });
  return notes;
}

/** Late: an agency's step ran over (form 04), the result went back after the day, or an open dossier is past it. */
function overdue(dossier: Dossier, today: string): boolean {
  if ((dossier.routing?.overdue?.length ?? 0) > 0) return true;
  const due = dossier.deadline?.appointmentDay;
  if (!due) return false;
  const returned = dossier.result?.returned?.at;
  if (returned) return dayString(localParts(new Date(returned)).day) > due;
  return !isTerminal(dossier.status) && today > due;
}

/** The printed columns of form 07, shared by the CSV and the PDF. */
export const registerColumns = [
  'STT',
  'Mã hồ sơ',
  'Nội dung yêu cầu giải quyết',
  'Số bộ hồ sơ',
  'Tên người nộp',
  'Địa chỉ, số điện thoại',
  'Ngày, giờ nhận hồ sơ',
  'Ngày hẹn trả kết quả',
  'Ngày, giờ trả kết quả',
  'Người giao (cán bộ trả kết quả)',
  'Người nhận kết quả',
  'Ghi chú',
] as const;

const METHOD_RECEIVER = { electronic: 'Nhận trực tuyến', post: 'Nhận qua dịch vụ bưu chính' } as const;

/** One row as printed: times and days in the format's own notation; nothing of the collector's ID but 4 digits. */
export function registerCells(
  row: RegisterRow,
  format: { time: (iso: string) => string; day: (day: string) => string },
): (string | number)[] {
  const returned = row.returned;
  const receiver = returned?.receiver
    ? [
        returned.receiver.name,
        returned.receiver.idLast4 ? `(giấy tờ tùy thân …${returned.receiver.idLast4})` : '',
        returned.receiver.authorization ? `theo ủy quyền: ${returned.receiver.authorization}` : '',
      ]
        .filter(Boolean)
        .join(' ')
    : returned && returned.method !== 'counter'
      ? METHOD_RECEIVER[returned.method]
      : '';
  return [
    row.no,
    row.code,
    `${row.procedure.name} (${row.procedure.code})`,
    row.sets,
    row.applicant.name,
    [row.applicant.address, row.applicant.phone].filter(Boolean).join('; '),
    format.time(row.receivedAt),
    row.appointmentDay ? format.day(row.appointmentDay) : '',
    returned ? format.time(returned.at) : '',
    returned?.giver ?? '',
    receiver,
    row.notes.map((note) => note.vi).join('; '),
  ];
}

/** What the PDF prints: the register's cells in the forms' notation (`HH:mm ngày dd/mm/yyyy`, `dd/mm/yyyy`). */
export function registerPrintout(
  register: Register,
  issuedAt: Date,
  format: { time: (iso: string) => string; day: (day: string) => string },
): RegisterPdfInput {
  return {
    unit: {
      code: register.unit,
      name: register.unitName,
      parentName: 'Trung tâm Phục vụ hành chính công thành phố Hà Nội',
      locality: 'Hà Nội',
    },
    book: register.book,
    from: register.from,
    to: register.to,
    issuedAt: issuedAt.toISOString(),
    columns: registerColumns,
    rows: register.rows.map((row) => registerCells(row, format)),
  };
}
