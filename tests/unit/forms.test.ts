// Forms 01–06 (Circular 03/2025/TT-VPCP): the PDFs carry the Vietnamese text exactly, the metadata and no whole ID.

import * as fontkit from 'fontkit';
import { extractLinks, extractText, getDocumentProxy, getMeta } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { loadFonts } from '../../shared/forms/fonts';
import {
  dateLine,
  formatDateTime,
  formatDay,
  formatVnd,
  maskIdNumber,
  renderApology,
  renderControlSlip,
  renderReceiptSlip,
  renderRefusal,
  renderStopNotice,
  renderSupplementRequest,
} from '../../shared/forms/render';
import type {
  ApologyInput,
  ControlSlipInput,
  ControlSlipRow,
  FormBase,
  ReceiptSlipInput,
  RefusalInput,
  StopNoticeInput,
  SupplementRequestInput,
} from '../../shared/forms/types';

const FULL_ID = '001090012345';

const base: FormBase = {
  dossierCode: '000.00.01.H26-261127-0042',
  trackingUrl: 'https://dichvucong.hanoi.gov.vn/tra-cuu?ma=000.00.01.H26-261127-0042&k=K7Q2-9XMP',
  lookupKey: 'K7Q2-9XMP',
  issuedAt: '2026-11-27T02:15:00Z',
  unit: {
    name: 'Chi nhánh số 1',
    parentName: 'Trung tâm Phục vụ hành chính công thành phố Hà Nội',
    phone: '024 3825 1234',
    locality: 'Hà Nội',
  },
  procedure: { code: '1.001193', name: 'Đăng ký khai sinh' },
  applicant: {
    fullName: 'Nguyễn Thị Hương',
    idNumberMasked: '0010******45',
    address: 'Số 5 ngõ 12 phố Đội Cấn, phường Ba Đình',
    phone: '0912 345 678',
  },
  officer: { fullName: 'Trần Văn Đức' },
};

const receipt: ReceiptSlipInput = {
  ...base,
  receivedAt: '2026-11-27T02:15:00Z',
  appointmentDay: '2026-12-02',
  statutoryWorkingDays: 3,
  resultChannel: 'Nhận trực tiếp tại Bộ phận Một cửa',
  feesVnd: 8000,
  documents: [
    { name: 'Tờ khai đăng ký khai sinh', copies: 1, form: 'original' },
    { name: 'Giấy chứng sinh', copies: 1, form: 'original' },
    { name: 'Giấy chứng nhận kết hôn của cha, mẹ', copies: 2, form: 'certified-copy' },
  ],
};

const supplement: SupplementRequestInput = {
  ...base,
  requestedAt: '2026-11-27T03:40:00Z',
  deadlineDay: '2026-12-04',
  items: [{ name: 'Giấy chứng sinh', reason: 'Bản chụp mờ, không đọc được.' }],
};

const refusal: RefusalInput = {
  ...base,
  refusedAt: '2026-11-27T04:05:00Z',
  reason: 'Hồ sơ không thuộc thẩm quyền.',
  legalBasis: 'Điều 13 Luật Hộ tịch năm 2014',
};

const apology: ApologyInput = {
  ...base,
  receivedAt: '2026-11-27T02:15:00Z',
  previousAppointmentDay: '2026-12-02',
  newAppointmentDay: '2026-12-09',
  reason: 'Chờ kết quả xác minh nơi cư trú của cơ quan công an.',
  lateAgency: 'Công an phường Ba Đình',
};

const stopNotice: StopNoticeInput = {
  ...base,
  stoppedAt: '2026-11-30T03:00:00Z',
  reason: 'Người nộp hồ sơ đề nghị dừng giải quyết để bổ sung giấy tờ khác.',
  requestedBy: 'applicant',
  legalBasis: 'Điều 21 Nghị định số 118/2025/NĐ-CP',
};

const DESK = 'Chi nhánh số 1';
const JUSTICE = 'Sở Tư pháp thành phố Hà Nội';
const INSURANCE = 'Bảo hiểm xã hội thành phố Hà Nội';

const controlSlip: ControlSlipInput = {
  ...base,
  receivedAt: '2026-11-27T02:15:00Z',
  appointmentDay: '2026-12-02',
  resolvingUnits: [JUSTICE, INSURANCE],
  rows: [
    { giver: DESK, receiver: JUSTICE, at: '2026-11-27T02:30:00Z', dueAt: '2026-11-30T10:00:00Z' },
    {
      giver: JUSTICE,
      receiver: DESK,
      at: '2026-11-28T03:00:00Z',
      dueAt: '2026-11-30T10:00:00Z',
      result: 'early',
      note: 'Đã cấp giấy khai sinh',
    },
    { giver: DESK, receiver: INSURANCE, at: '2026-11-28T04:00:00Z', dueAt: '2026-12-01T10:00:00Z' },
    {
      giver: INSURANCE,
      receiver: DESK,
      at: '2026-12-01T10:00:00Z',
      dueAt: '2026-12-01T10:00:00Z',
      result: 'on-time',
    },
    { giver: DESK, receiver: JUSTICE, at: '2026-12-01T11:00:00Z', dueAt: '2026-12-02T10:00:00Z' },
    {
      giver: JUSTICE,
      receiver: DESK,
      at: '2026-12-03T02:00:00Z',
      dueAt: '2026-12-02T10:00:00Z',
      result: 'late',
    },
  ],
};

// pdf.js takes ownership of the buffer it reads, so each read gets its own copy.
async function textOf(pdf: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(pdf.slice()), { mergePages: true });
  return text;
}

/** Each page's text with every run of white space (table cells wrap) as one space. */
async function pagesOf(pdf: Uint8Array): Promise<string[]> {
  const { text } = await extractText(await getDocumentProxy(pdf.slice()));
  return text.map((page) => page.replace(/\s+/g, ' '));
}

const RESULT_WORD = { early: 'Trước hạn', 'on-time': 'Đúng hạn', late: 'Quá hạn' } as const;

/** A form 06 row as it reads: number, giver and receiver, time (and due time), result word, note. */
function rowText(row: ControlSlipRow, n: number): string {
  const due = row.dueAt ? ` (hạn ${formatDateTime(new Date(row.dueAt))})` : '';
  const tail = [row.result && RESULT_WORD[row.result], row.note].filter(Boolean).join(' ');
  return `${n} Giao: ${row.giver} Nhận: ${row.receiver} ${formatDateTime(new Date(row.at))}${due}${tail ? ` ${tail}` : ''}`;
}

const count = (text: string, word: string) => text.split(word).length - 1;
const TABLE_HEADING = 'TT Cơ quan, đơn vị giao, nhận hồ sơ';

function header(pdf: Uint8Array): string {
  return Buffer.from(pdf.subarray(0, 5)).toString('latin1');
}

describe('renderReceiptSlip', () => {
  it('renders Vietnamese diacritics in the receipt slip', async () => {
    const text = await textOf(await renderReceiptSlip(receipt));

    for (const expected of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG',
      'CHI NHÁNH SỐ 1',
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      'Hà Nội, ngày 27 tháng 11 năm 2026',
      'Mã hồ sơ: 000.00.01.H26-261127-0042',
      'Nguyễn Thị Hương',
      'Đăng ký khai sinh',
      'Bản sao chứng thực',
      'Thời gian nhận hồ sơ: 09:15 ngày 27/11/2026',
      'Thời gian trả kết quả giải quyết hồ sơ: ngày 02/12/2026',
      '03 ngày làm việc',
      '8.000 đồng',
      'NGƯỜI NỘP HỒ SƠ',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
      'Trần Văn Đức',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('is a PDF whose metadata names the form, the dossier and motcua', async () => {
    const pdf = await renderReceiptSlip(receipt);
    const { info } = await getMeta(await getDocumentProxy(pdf.slice()));

    expect(header(pdf)).toBe('%PDF-');
    expect(info.Title).toContain('Mẫu số 01');
    expect(info.Title).toContain(receipt.dossierCode);
    expect(info.Creator).toBe('motcua');
  });

  it('prints the tracking URL and lookup key beside the QR code and links the URL', async () => {
    const pdf = await renderReceiptSlip(receipt);
    const text = await textOf(pdf);
    const { links } = await extractLinks(await getDocumentProxy(pdf.slice()));

    expect(text).toContain(receipt.trackingUrl);
    expect(text).toContain('Mã tra cứu: K7Q2-9XMP');
    expect(links).toContain(receipt.trackingUrl);
  });

  it('never prints the whole ID number when a masked one is passed', async () => {
    const text = await textOf(await renderReceiptSlip(receipt));

    expect(text).toContain('0010******45');
    expect(text).not.toContain(FULL_ID);
  });

  it('masks an ID number the caller forgot to mask', async () => {
    const unmasked = { ...receipt, applicant: { ...receipt.applicant, idNumberMasked: FULL_ID } };
    const text = await textOf(await renderReceiptSlip(unmasked));

    expect(text).not.toContain(FULL_ID);
    expect(text).toContain('0010******45');
  });

  it('gives the same bytes for the same input', async () => {
    const [first, second] = await Promise.all([renderReceiptSlip(receipt), renderReceiptSlip(receipt)]);

    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it('prints a free procedure as free and keeps a long document list readable across pages', async () => {
    const documents = Array.from({ length: 30 }, (_, i) => ({
      name: `Giấy tờ kèm theo số ${i + 1}`,
      copies: 1,
      form: 'copy' as const,
    }));
    const pdf = await renderReceiptSlip({ ...receipt, documents, feesVnd: 0 });
    const text = await textOf(pdf);

    expect(text).toContain('Giấy tờ kèm theo số 30');
    expect(text).toContain('Không thu phí, lệ phí');
    expect(text).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
  });

  it('rejects an appointment day that is not YYYY-MM-DD', async () => {
    await expect(renderReceiptSlip({ ...receipt, appointmentDay: '02/12/2026' })).rejects.toThrow(
      /appointmentDay/,
    );
  });
});

describe('renderSupplementRequest', () => {
  it('renders Vietnamese diacritics in the supplement request', async () => {
    const pdf = await renderSupplementRequest(supplement);
    const text = await textOf(pdf);

    expect(header(pdf)).toBe('%PDF-');
    for (const expected of [
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      'Hồ sơ của: Nguyễn Thị Hương',
      'Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:',
      '1. Giấy chứng sinh',
      'Lý do: Bản chụp mờ, không đọc được.',
      'đến hết ngày 04/12/2026',
      'Thời gian yêu cầu: 10:40 ngày 27/11/2026',
      'NGƯỜI HƯỚNG DẪN',
      receipt.dossierCode,
      receipt.trackingUrl,
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain(FULL_ID);
  });
});

describe('renderRefusal', () => {
  it('renders Vietnamese diacritics in the refusal', async () => {
    const pdf = await renderRefusal(refusal);
    const text = await textOf(pdf);
    const { info } = await getMeta(await getDocumentProxy(pdf.slice()));

    expect(header(pdf)).toBe('%PDF-');
    expect(info.Title).toContain('Mẫu số 03');
    for (const expected of [
      'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      'Chi nhánh số 1 tiếp nhận hồ sơ của: Nguyễn Thị Hương',
      'Hồ sơ không thuộc thẩm quyền.',
      'Căn cứ: Điều 13 Luật Hộ tịch năm 2014',
      'Xin thông báo để Ông/Bà được biết và thực hiện./.',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
    ]) {
      expect(text).toContain(expected);
    }
  });
});

describe('renderApology', () => {
  it('apologises with the reason, the late agency and both appointment days in dd/mm/yyyy', async () => {
    const pdf = await renderApology(apology);
    const text = await textOf(pdf);

    expect(header(pdf)).toBe('%PDF-');
    for (const expected of [
      'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
      'Kính gửi Ông/Bà: Nguyễn Thị Hương',
      'Mã hồ sơ: 000.00.01.H26-261127-0042',
      'Thời gian tiếp nhận hồ sơ: 09:15 ngày 27/11/2026',
      'Thời gian hẹn trả kết quả: ngày 02/12/2026',
      'Cơ quan, đơn vị giải quyết chậm: Công an phường Ba Đình',
      'Chờ kết quả xác minh nơi cư trú của cơ quan công an.',
      'trân trọng xin lỗi Ông/Bà',
      'Thời gian hẹn lại trả kết quả: ngày 09/12/2026',
      'THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ',
      'Trần Văn Đức',
      'Mẫu số 04, Phụ lục I, Thông tư số 03/2025/TT-VPCP',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain(FULL_ID);
  });

  it('names form 04 and the dossier in the PDF metadata', async () => {
    const { info } = await getMeta(await getDocumentProxy((await renderApology(apology)).slice()));

    expect(info.Title).toContain('Mẫu số 04');
    expect(info.Title).toContain(apology.dossierCode);
  });

  it('rejects a new appointment day that is not YYYY-MM-DD', async () => {
    await expect(renderApology({ ...apology, newAppointmentDay: '09/12/2026' })).rejects.toThrow(
      /newAppointmentDay/,
    );
  });
});

describe('renderStopNotice', () => {
  it('gives the stop reason, when it stopped, at whose request and on which ground', async () => {
    const pdf = await renderStopNotice(stopNotice);
    const text = await textOf(pdf);
    const { info } = await getMeta(await getDocumentProxy(pdf.slice()));

    expect(info.Title).toContain('Mẫu số 05');
    for (const expected of [
      'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
      'Chi nhánh số 1 tiếp nhận hồ sơ của: Nguyễn Thị Hương',
      'Thời gian dừng giải quyết: 10:00 ngày 30/11/2026',
      'Theo đề nghị của: Ông/Bà Nguyễn Thị Hương',
      'Căn cứ: Điều 21 Nghị định số 118/2025/NĐ-CP',
      'thông báo dừng giải quyết hồ sơ nêu trên với lý do cụ thể như sau:',
      'Người nộp hồ sơ đề nghị dừng giải quyết để bổ sung giấy tờ khác.',
      'Xin thông báo để Ông/Bà được biết./.',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('names the requesting agency when an agency asked to stop', async () => {
    const text = await textOf(
      await renderStopNotice({ ...stopNotice, requestedBy: 'agency', requestingAgency: JUSTICE }),
    );

    expect(text).toContain(`Theo đề nghị của: ${JUSTICE}`);
    expect(text).not.toContain('Ông/Bà Nguyễn Thị Hương');
  });

  it('prints no requester and no ground when none was recorded', async () => {
    const { requestedBy: _, legalBasis: __, ...bare } = stopNotice;
    const text = await textOf(await renderStopNotice(bare));

    expect(text).toContain(stopNotice.reason);
    expect(text).not.toContain('Theo đề nghị của');
    expect(text).not.toContain('Căn cứ');
  });

  it('leaves the signature line blank for the head of the unit when no one is named', async () => {
    const [page] = await pagesOf(await renderStopNotice({ ...stopNotice, officer: { fullName: '' } }));

    expect(page).toContain('THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ (Ký và ghi rõ họ tên) Tra cứu tình trạng hồ sơ');
  });
});

describe('renderControlSlip', () => {
  it('prints the dossier header and every hand-off with its parties, time and result word', async () => {
    const pdf = await renderControlSlip(controlSlip);
    const { info } = await getMeta(await getDocumentProxy(pdf.slice()));
    const pages = await pagesOf(pdf);
    const text = pages.join(' ');

    expect(info.Title).toContain('Mẫu số 06');
    for (const expected of [
      'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
      'Mã hồ sơ: 000.00.01.H26-261127-0042',
      'Tổ chức, cá nhân nộp hồ sơ: Nguyễn Thị Hương',
      'Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã thủ tục 1.001193)',
      'Thời gian tiếp nhận hồ sơ: 09:15 ngày 27/11/2026',
      'Thời gian hẹn trả kết quả: ngày 02/12/2026',
      `Cơ quan, đơn vị giải quyết hồ sơ: ${JUSTICE}; ${INSURANCE}`,
      TABLE_HEADING,
      ...controlSlip.rows.map((row, i) => rowText(row, i + 1)),
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain(
      '6 Giao: Sở Tư pháp thành phố Hà Nội Nhận: Chi nhánh số 1 09:00 ngày 03/12/2026 (hạn 17:00 ngày 02/12/2026) Quá hạn',
    );
  });

  it('prints a result word only on the rows that hand back a finished step', async () => {
    const text = (await pagesOf(await renderControlSlip(controlSlip))).join(' ');

    expect(count(text, 'Trước hạn')).toBe(1);
    expect(count(text, 'Đúng hạn')).toBe(1);
    expect(count(text, 'Quá hạn')).toBe(1);
  });

  it('prints the header and an empty table when nothing has been handed over yet', async () => {
    const pages = await pagesOf(await renderControlSlip({ ...controlSlip, resolvingUnits: [], rows: [] }));

    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(pages[0]).toContain('Thời gian hẹn trả kết quả: ngày 02/12/2026');
    expect(pages[0]).toContain(`${TABLE_HEADING} Thời gian giao, nhận hồ sơ`);
    expect(pages[0]).toContain('Ghi chú');
    expect(pages[0]).not.toContain('Giao:');
    expect(pages[0]).not.toContain('Cơ quan, đơn vị giải quyết hồ sơ:');
    expect(pages[0]).toContain('Mã tra cứu: K7Q2-9XMP');
  });

  it('runs twelve hand-offs onto a second page, heading repeated, losing and repeating none', async () => {
    const rows: ControlSlipRow[] = Array.from({ length: 12 }, (_, i) => ({
      giver: i % 2 === 0 ? DESK : 'Sở Nông nghiệp và Môi trường thành phố Hà Nội',
      receiver: i % 2 === 0 ? 'Sở Nông nghiệp và Môi trường thành phố Hà Nội' : DESK,
      at: new Date(Date.UTC(2026, 10, 27, 2 + i)).toISOString(),
      dueAt: '2026-11-30T10:00:00Z',
      ...(i % 2 === 1 ? { result: (['early', 'on-time', 'late'] as const)[i % 3] } : {}),
      note: `Lượt giao nhận thứ ${i + 1}`,
    }));
    const pages = await pagesOf(await renderControlSlip({ ...controlSlip, rows }));
    const text = pages.join(' ');

    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(count(page, TABLE_HEADING)).toBe(1);
    rows.forEach((row, i) => {
      expect(count(text, rowText(row, i + 1))).toBe(1);
    });
    expect(count(text, 'Giao: ')).toBe(12);
    expect(pages[0]).toContain(rowText(rows[0]!, 1));
    expect(pages.at(-1)).toContain(rowText(rows[11]!, 12));
    expect(pages.at(-1)).toContain('Mẫu số 06, Phụ lục I, Thông tư số 03/2025/TT-VPCP');
  });

  it('rejects a hand-off time that is not an ISO instant', async () => {
    const rows = [{ ...controlSlip.rows[0]!, at: '27/11/2026' }];
    await expect(renderControlSlip({ ...controlSlip, rows })).rejects.toThrow(/rows\[\]\.at/);
  });

  it('gives the same bytes for the same input', async () => {
    const [first, second] = await Promise.all([
      renderControlSlip(controlSlip),
      renderControlSlip(controlSlip),
    ]);

    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });
});

describe('form formatting', () => {
  it('writes VND with dot thousands separators', () => {
    expect(formatVnd(8000)).toBe('8.000 đồng');
    expect(formatVnd(1234567)).toBe('1.234.567 đồng');
    expect(formatVnd(500)).toBe('500 đồng');
  });

  it('refuses a VND amount that is not a non-negative integer', () => {
    expect(() => formatVnd(1.5)).toThrow(RangeError);
    expect(() => formatVnd(-1)).toThrow(RangeError);
  });

  it('prints instants in Hanoi time, crossing midnight when UTC does not', () => {
    expect(formatDateTime(new Date('2026-02-05T17:30:00Z'))).toBe('00:30 ngày 06/02/2026');
  });

  it('pads days below 10 and months 1–2 in the date line, not other months', () => {
    expect(dateLine('Hà Nội', new Date('2026-02-05T03:00:00Z'))).toBe('Hà Nội, ngày 05 tháng 02 năm 2026');
    expect(dateLine(undefined, new Date('2026-03-09T03:00:00Z'))).toBe('Ngày 09 tháng 3 năm 2026');
  });

  it('turns a calendar day into dd/mm/yyyy without a time-zone shift', () => {
    expect(formatDay('2026-12-02', 'day')).toBe('02/12/2026');
  });

  it('masks runs of nine or more digits and leaves masked numbers alone', () => {
    expect(maskIdNumber(FULL_ID)).toBe('0010******45');
    expect(maskIdNumber('0010******45')).toBe('0010******45');
  });
});

describe('form fonts', () => {
  it('unpacks both weights as TrueType fonts named DejaVu Sans', () => {
    const fonts = loadFonts();
    for (const [weight, bytes] of Object.entries(fonts)) {
      expect(bytes.readUInt32BE(0), weight).toBe(0x00010000);
      expect(fontkit.create(bytes).familyName, weight).toBe('DejaVu Sans');
    }
  });

  it('keeps every Vietnamese letter, tone mark and the đồng sign, in both weights', () => {
    const base = 'aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐ';
    // Each vowel with its five tones, precomposed (NFC) as typed, and the combining marks for decomposed text.
    const toned = [...base].flatMap((letter) =>
      ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'].map((mark) => (letter + mark).normalize('NFC')),
    );
    const wanted = [
      ...base,
      ...toned,
      '\u0300',
      '\u0301',
      '\u0303',
      '\u0309',
      '\u0323',
      '₫',
      '–',
      '“',
      '”',
      '…',
    ]
      .filter((ch) => [...ch].length === 1)
      .map((ch) => ch.codePointAt(0)!);
    for (const [weight, bytes] of Object.entries(loadFonts())) {
      const font = fontkit.create(bytes);
      const missing = wanted.filter((cp) => !font.hasGlyphForCodePoint(cp));
      expect(
        missing.map((cp) => String.fromCodePoint(cp)),
        weight,
      ).toEqual([]);
    }
  });

  it('ships subsets far smaller than the DejaVu files they are cut from', () => {
    const fonts = loadFonts();
    expect(fonts.regular.length).toBeLessThan(200_000);
    expect(fonts.bold.length).toBeLessThan(200_000);
  });
});
