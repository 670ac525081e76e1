// The daily reconciliation report as CSV (RFC 4180, CRLF), for a spreadsheet: UTF-8 with a byte-order mark so Excel
// reads the Vietnamese fee names right, a bilingual header row, one row per payment, then the total rows (the `kind`
// column tells them apart). Times are Vietnam local (+07:00), amounts integer VND without separators.
import type { LedgerEntry, PaymentReport } from '../domain/ledger';
import { BOM, type CsvCell, csvField, localTime } from './csv';

export { BOM, csvField, localTime };

const columns = [
  'Loại / Kind',
  'Thời điểm / Settled at',
  'Mã thanh toán / Payment',
  'Hồ sơ / Dossier',
  'Thủ tục / Procedure',
  'Kênh / Channel',
  'Cổng thanh toán / Provider',
  'Mã giao dịch / Provider transaction',
  'Kết quả / Outcome',
  'Số tiền / Amount (VND)',
  'Đã nộp phí / Applied (VND)',
  'Phải hoàn / Refund due (VND)',
  'Khoản thu / Fee items',
  'Mã khoản thu / Fee',
  'Tên khoản thu / Fee name',
  'Số giao dịch / Count',
] as const;

type Row = Partial<Record<(typeof columns)[number], CsvCell>>;

const feeItems = (entry: LedgerEntry) =>
  entry.feeItems.map((item) => `${item.feeId} ${item.name.vi}: ${item.amountVnd}`).join('; ');

function paymentRow(entry: LedgerEntry): Row {
  return {
    'Loại / Kind': 'payment',
    'Thời điểm / Settled at': localTime(entry.settledAt),
    'Mã thanh toán / Payment': entry.paymentId,
    'Hồ sơ / Dossier': entry.dossierCode,
    'Thủ tục / Procedure': entry.procedureCode,
    'Kênh / Channel': entry.channel,
    'Cổng thanh toán / Provider': entry.provider,
    'Mã giao dịch / Provider transaction': entry.providerTransactionNo,
    'Kết quả / Outcome': entry.outcome,
    'Số tiền / Amount (VND)': entry.amountVnd,
    'Đã nộp phí / Applied (VND)': entry.appliedVnd,
    'Phải hoàn / Refund due (VND)': entry.refundDueVnd,
    'Khoản thu / Fee items': feeItems(entry),
  };
}

function totalRows(report: PaymentReport): Row[] {
  const { totals } = report;
  return [
    ...totals.byFee.map(
      (fee): Row => ({
        'Loại / Kind': 'total-fee',
        'Thủ tục / Procedure': fee.procedureCode,
        'Kết quả / Outcome': 'paid',
        'Số tiền / Amount (VND)': fee.amountVnd,
        'Mã khoản thu / Fee': fee.feeId,
        'Tên khoản thu / Fee name': fee.name.vi,
        'Số giao dịch / Count': fee.count,
      }),
    ),
    ...totals.byChannel.map(
      (channel): Row => ({
        'Loại / Kind': 'total-channel',
        'Kênh / Channel': channel.channel,
        'Kết quả / Outcome': 'paid',
        'Số tiền / Amount (VND)': channel.amountVnd,
        'Số giao dịch / Count': channel.count,
      }),
    ),
    {
      'Loại / Kind': 'total',
      'Kết quả / Outcome': 'paid',
      'Số tiền / Amount (VND)': totals.paidVnd,
      'Đã nộp phí / Applied (VND)': totals.paidVnd - totals.refundDueVnd,
      'Phải hoàn / Refund due (VND)': totals.refundDueVnd,
      'Số giao dịch / Count': totals.paidCount,
    },
    { 'Loại / Kind': 'total', 'Kết quả / Outcome': 'failed', 'Số giao dịch / Count': totals.failedCount },
  ];
}

export function paymentReportCsv(report: PaymentReport): string {
  const lines = [
    columns.map(csvField).join(','),
    ...[...report.payments.map(paymentRow), ...totalRows(report)].map((row) =>
      columns.map((column) => csvField(row[column])).join(','),
    ),
  ];
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** The download's file name: the branch and the day, nothing personal. */
export const paymentReportFileName = (report: Pick<PaymentReport, 'unit' | 'day'>) =>
  `payments-${report.unit}-${report.day}.csv`;
