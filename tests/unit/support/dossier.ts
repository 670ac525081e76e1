// A received birth-registration dossier with three uploaded documents, one of them reusable (the ID card).
import type { Dossier, DossierDocument } from '../../../shared/domain/dossier';

export function document(requirementId: string, id: string, source: DossierDocument['source'] = 'upload') {
  return {
    requirementId,
    name: { vi: requirementId, en: requirementId },
    source,
    documentId: id,
    fileName: `${requirementId}.pdf`,
    contentType: 'application/pdf',
    sizeBytes: 1234,
    sha256: 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M=',
    s3Key: `filed/${id}`,
  } satisfies DossierDocument;
}

export function birthDossier(code = '000.00.01.H26-261127-0001', version = 1): Dossier {
  return {
    code,
    lookupKey: 'LK1234',
    procedure: {
      code: '1.001193',
      version,
      name: { vi: 'Đăng ký khai sinh', en: 'Birth registration' },
      processingDays: 0,
    },
    unit: '000.00.01.H26',
    channel: 'online',
    applicant: { fullName: 'Nguyễn Văn An', citizenId: '001090012345' },
    applicantKey: 'ak-1',
    ownerSub: 'sub-citizen-an',
    answers: {},
    documents: [
      document('to-khai-dang-ky-khai-sinh', 'up-form'),
      document('giay-chung-sinh', 'up-birth'),
      document('cccd', 'up-id'),
    ],
    status: 'RECEIVED',
    version: 3,
    historyCount: 2,
    submittedAt: '2026-11-27T01:00:00.000Z',
    receivedAt: '2026-11-27T02:00:00.000Z',
    forms: [],
    updatedAt: '2026-11-27T02:00:00.000Z',
  };
}

export const refs = (dossier: Dossier, ids?: string[]) =>
  dossier.documents
    .filter((d) => !ids || ids.includes(d.documentId))
    .map((d) => ({ requirementId: d.requirementId, documentId: d.documentId, source: d.source }));
