// The mappers build exactly what the route schemas publish: every optional field filled in, nothing more.
import { describe, expect, it } from 'vitest';
import type { Deadline, Dossier, HistoryEntry } from '../../shared/domain/dossier';
import type { Upload } from '../../shared/ports/documents';
import { healthSchema } from '../../shared/schemas/common';
import { uploadViewSchema } from '../../shared/schemas/documents';
import { dossierSummarySchema, dossierViewSchema, trackingSchema } from '../../shared/schemas/dossiers';
import { uploadView } from '../../shared/usecases/documents/complete-upload';
import type { DossierDeps } from '../../shared/usecases/dossiers/deps';
import { trackDossier } from '../../shared/usecases/dossiers/read-dossiers';
import { toSummary, toView } from '../../shared/usecases/dossiers/view';
import { checkHealth } from '../../shared/usecases/platform/check-health';
import { deepStrict } from '../integration/support/deep-strict';

const deadline: Deadline = {
  workingDays: 3,
  receivedAt: '2026-11-23T02:00:00.000Z',
  appointmentDay: '2026-11-27',
  pauses: [
    { from: '2026-11-24T02:00:00.000Z', to: '2026-11-25T02:00:00.000Z' },
    { from: '2026-11-26T02:00:00.000Z' },
  ],
  basis: [{ year: 2026, decided: true, source: '9441/TB-BNV', statutoryOnly: [] }],
  computedAt: '2026-11-26T02:00:00.000Z',
};

const dossier: Dossier = {
  code: '000.02.01.H26-261123-0001',
  lookupKey: 'Q70ER8MY',
  procedure: {
    code: '1.001193',
    version: 1,
    name: { vi: 'Đăng ký khai sinh', en: 'Birth registration' },
    processingDays: 3,
  },
  unit: '000.02.01.H26',
  channel: 'online',
  applicant: {
    fullName: 'Nguyễn Văn An',
    citizenId: '001090012345',
    dateOfBirth: '1990-01-01',
    phone: '0912345678',
    email: 'an@example.vn',
    address: 'Ba Đình, Hà Nội',
  },
  applicantKey: 'key-an',
  ownerSub: 'sub-an',
  answers: { childFullName: 'Khang', twins: false, order: 1 },
  documents: [
    {
      requirementId: 'giay-chung-sinh',
      name: { vi: 'Giấy chứng sinh', en: 'Birth certificate' },
      source: 'upload',
      documentId: 'abcdefghijklmnopqrstuvwxyz',
      fileName: 'giay-chung-sinh.pdf',
      contentType: 'application/pdf',
      sizeBytes: 52,
      sha256: `${'A'.repeat(43)}=`,
      s3Key: 'documents/abc',
      digitizedBy: { sub: 'sub-o', name: 'Lê Minh Châu', branch: '000.02.01.H26' },
    },
  ],
  status: 'SUPPLEMENT_REQUESTED',
  version: 4,
  historyCount: 3,
  submittedAt: '2026-11-23T01:00:00.000Z',
  receivedAt: '2026-11-23T02:00:00.000Z',
  receivedBy: { sub: 'sub-o', name: 'Lê Minh Châu' },
  deadline,
  supplement: {
    items: [
      { name: 'Giấy chứng sinh', reason: 'Ảnh mờ', requirementId: 'giay-chung-sinh' },
      { name: 'Giấy xác nhận', reason: 'Thiếu' },
    ],
    requestedAt: '2026-11-26T02:00:00.000Z',
    resumeTo: 'RECEIVED',
  },
  refusal: { reason: 'Không thuộc thẩm quyền', at: '2026-11-26T03:00:00.000Z' },
  withdrawal: { reason: 'Không cần nữa', at: '2026-11-26T04:00:00.000Z' },
  forms: [
    { form: '01', key: 'forms/01-a', at: '2026-11-23T02:00:00.000Z' },
    { form: '01', key: 'forms/01-b', at: '2026-11-25T02:00:00.000Z' },
    { form: '02', key: 'forms/02', at: '2026-11-26T02:00:00.000Z' },
  ],
  updatedAt: '2026-11-26T02:00:00.000Z',
};

const history: HistoryEntry[] = [
  {
    seq: 1,
    at: '2026-11-23T01:00:00.000Z',
    action: 'submit',
    from: null,
    to: 'SUBMITTED',
    actor: { kind: 'citizen', sub: 'sub-an', name: 'Nguyễn Văn An' },
  },
  {
    seq: 2,
    at: '2026-11-23T02:00:00.000Z',
    action: 'receive',
    from: 'SUBMITTED',
    to: 'RECEIVED',
    actor: { kind: 'officer', sub: 'sub-o', name: 'Lê Minh Châu', branch: '000.02.01.H26' },
  },
  {
    seq: 3,
    at: '2026-11-26T02:00:00.000Z',
    action: 'requestSupplement',
    from: 'RECEIVED',
    to: 'SUPPLEMENT_REQUESTED',
    actor: { kind: 'system' },
    reason: 'Ảnh mờ',
  },
];

/** The strict parse's issues, or an empty list when the value is exactly what the schema publishes. */
const strayFrom = (schema: Parameters<typeof deepStrict>[0], value: unknown) =>
  deepStrict(schema).safeParse(value).error?.issues ?? [];

describe('toView', () => {
  it('gives a dossier with every optional field exactly the shape the Dossier schema publishes', () => {
    expect(strayFrom(dossierViewSchema(), toView(dossier, history))).toEqual([]);
  });

  it('publishes when the deadline was computed and which requirement a supplement item asks for', () => {
    const view = toView(dossier, history);
    expect(view.deadline).toMatchObject({ computedAt: '2026-11-26T02:00:00.000Z', paused: true });
    expect(view.supplement?.items).toEqual([
      { name: 'Giấy chứng sinh', reason: 'Ảnh mờ', requirementId: 'giay-chung-sinh' },
      { name: 'Giấy xác nhận', reason: 'Thiếu' },
    ]);
  });

  it('keeps what the stored dossier carries beyond the schema inside', () => {
    // As storage might hand it back after a newer version wrote fields this one does not know.
    const stored = {
      ...dossier,
      deadline: { ...deadline, internal: 1 },
      applicant: { ...dossier.applicant, ethnicity: 'Kinh' },
      procedure: { ...dossier.procedure, agency: 'x' },
      refusal: { ...dossier.refusal!, by: 'sub-o' },
      supplement: { ...dossier.supplement!, items: [{ name: 'n', reason: 'r', note: 'x' }] },
    } as unknown as Dossier;
    const entry = { ...history[2]!, requestId: 'r-1' } as HistoryEntry;
    expect(strayFrom(dossierViewSchema(), toView(stored, [entry]))).toEqual([]);
  });

  it('gives a freshly filed dossier, without deadline or history, the published shape too', () => {
    const { deadline: _d, supplement: _s, refusal: _r, receivedAt: _a, ...filed } = dossier;
    const view = toView({
      ...filed,
      status: 'SUBMITTED',
      applicant: { fullName: 'An', citizenId: '001090012345' },
    });
    expect(strayFrom(dossierViewSchema(), view)).toEqual([]);
    expect(view).not.toHaveProperty('deadline');
    expect(view).not.toHaveProperty('history');
  });
});

describe('the other response mappers', () => {
  it('toSummary gives the DossierSummary shape', () => {
    expect(strayFrom(dossierSummarySchema, toSummary(dossier))).toEqual([]);
  });

  it('trackDossier gives the Tracking shape and nothing personal', async () => {
    const deps = { dossiers: { get: async () => dossier } } as unknown as Pick<DossierDeps, 'dossiers'>;
    const tracking = await trackDossier(dossier.code, dossier.lookupKey, deps);
    expect(strayFrom(trackingSchema(), tracking)).toEqual([]);
    expect(JSON.stringify(tracking)).not.toContain(dossier.applicant.fullName);
  });

  it('uploadView gives the Upload shape, storage keys and hashes kept inside', () => {
    const upload: Upload = {
      id: 'abcdefghijklmnopqrstuvwxyz',
      ownerSub: 'sub-o',
      procedureCode: '1.001193',
      requirementId: 'giay-chung-sinh',
      fileName: 'a.pdf',
      contentType: 'application/pdf',
      sizeBytes: 52,
      sha256: `${'A'.repeat(43)}=`,
      s3Key: 'uploads/abc',
      status: 'VERIFIED',
      createdAt: '2026-11-23T01:00:00.000Z',
      expiresAt: '2026-11-23T01:15:00.000Z',
      verifiedAt: '2026-11-23T01:01:00.000Z',
      digitizedBy: { sub: 'sub-o', name: 'Lê Minh Châu', branch: '000.02.01.H26' },
    };
    expect(strayFrom(uploadViewSchema, uploadView(upload))).toEqual([]);
  });

  it('checkHealth gives the Health shape, with the error of a dependency that is down', async () => {
    const health = await checkHealth(
      [
        { name: 'dynamodb', check: async () => undefined },
        { name: 's3', check: () => Promise.reject(new TypeError('down')) },
      ],
      '1.0.0',
    );
    expect(strayFrom(healthSchema, health)).toEqual([]);
    expect(health.checks[1]).toMatchObject({ status: 'down', error: 'TypeError' });
  });
});
