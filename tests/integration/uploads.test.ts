import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../local/demo';
import { dynamoDocumentClient } from '../../shared/adapters/aws';
import { personalDocumentStore, uploadRepository } from '../../shared/adapters/document-deps';
import { personalDocumentItem } from '../../shared/adapters/dynamo/personal-document-store';
import { applicantKey } from '../../shared/domain/dossier-code';
import type { PersonalDocument, Upload } from '../../shared/ports/documents';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

interface Ticket {
  uploadId: string;
  upload: { url: string; method: string; headers: Record<string, string> };
}
type ErrorBody = { error: { code: string; details?: Record<string, unknown> } };

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n');
const png = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');
const subOf = (username: string) => demoAccounts.find((a) => a.username === username)!.sub;
const cccdOf = (username: string) => demoAccounts.find((a) => a.username === username)!.cccd!;

const declaration = (bytes = pdf, overrides: Record<string, unknown> = {}) => ({
  procedureCode: '1.001193',
  requirementId: 'giay-chung-sinh',
  fileName: 'giay-chung-sinh.pdf',
  contentType: 'application/pdf',
  sizeBytes: bytes.length,
  sha256: sha256(bytes),
  ...overrides,
});

const post = (path: string, body: unknown, init: RequestInit & { as?: string } = {}) =>
  stack.call(path, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
    body: JSON.stringify(body),
  });

async function issue(body: unknown = declaration(), as = 'citizen.an', path = '/v1/uploads') {
  const response = await post(path, body, { as });
  expect(response.status).toBe(201);
  return (await response.json()) as Ticket;
}

const putFile = (ticket: Ticket, bytes: Buffer, headers: Record<string, string> = {}) =>
  fetch(ticket.upload.url, {
    method: ticket.upload.method,
    headers: { ...ticket.upload.headers, ...headers },
    body: bytes,
  });

const complete = (uploadId: string, as?: string) =>
  stack.call(`/v1/uploads/${uploadId}/complete`, { method: 'POST', ...(as ? { as } : {}) });

async function stored(uploadId: string, prefix: 'uploads' | 'documents' = 'uploads') {
  try {
    await stack.clients.s3.send(
      new HeadObjectCommand({ Bucket: process.env.BUCKET_DOCUMENTS, Key: `${prefix}/${uploadId}` }),
    );
    return true;
  } catch {
    return false;
  }
}

async function rejection(response: Response) {
  expect(response.status).toBe(422);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe('UPLOAD_REJECTED');
  const failed = (body.error.details?.failedChecks ?? []) as { check: string }[];
  return failed.map((f) => f.check);
}

describe('POST /v1/uploads, PUT to S3, POST /v1/uploads/{id}/complete', () => {
  it('takes a declared file through to VERIFIED', async () => {
    const ticket = await issue();
    expect(ticket.uploadId).toMatch(/^[a-z2-7]{26}$/);
    expect((await putFile(ticket, pdf)).status).toBe(200);
    const response = await complete(ticket.uploadId, 'citizen.an');
    expect(response.status).toBe(200);
    const verified = await response.json();
    expect(verified).toMatchObject({
      id: ticket.uploadId,
      status: 'VERIFIED',
      procedureCode: '1.001193',
      requirementId: 'giay-chung-sinh',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      verifiedAt: expect.any(String),
    });
    expect(verified).not.toHaveProperty('digitizedBy');
    const again = await complete(ticket.uploadId, 'citizen.an');
    expect([again.status, await again.json()]).toEqual([200, verified]);
    // The verified bytes move where no presigned URL can write; the staging object is gone.
    expect(await stored(ticket.uploadId, 'documents')).toBe(true);
    expect(await stored(ticket.uploadId)).toBe(false);
  });

  it('keeps the verified bytes when the presigned URL is used again after verification', async () => {
    const ticket = await issue();
    await putFile(ticket, pdf);
    expect((await complete(ticket.uploadId, 'citizen.an')).status).toBe(200);
    // Same length, other bytes: the signed content-length still matches, the signed checksum does not.
    const other = Buffer.from(pdf);
    other[other.length - 2] = 0x41;
    expect((await putFile(ticket, other)).status).toBe(400);
    // The URL still takes its own bytes, into the staging key only.
    expect((await putFile(ticket, pdf)).status).toBe(200);
    const kept = await stack.clients.s3.send(
      new GetObjectCommand({ Bucket: process.env.BUCKET_DOCUMENTS, Key: `documents/${ticket.uploadId}` }),
    );
    expect(Buffer.from(await kept.Body!.transformToByteArray())).toEqual(pdf);
  });

  it('answers 409 UPLOAD_NOT_RECEIVED before the PUT, then verifies after it', async () => {
    const ticket = await issue();
    const early = await complete(ticket.uploadId, 'citizen.an');
    expect(early.status).toBe(409);
    expect(((await early.json()) as ErrorBody).error.code).toBe('UPLOAD_NOT_RECEIVED');
    await putFile(ticket, pdf);
    expect((await complete(ticket.uploadId, 'citizen.an')).status).toBe(200);
  });

  it('has other bytes than the declared SHA-256 refused by S3 (400 BadDigest), so there is nothing to verify', async () => {
    const ticket = await issue();
    const other = Buffer.from(pdf);
    other[12] = 0x21;
    const put = await putFile(ticket, other);
    expect(put.status).toBe(400);
    expect(await put.text()).toContain('<Code>BadDigest</Code>');
    expect(await stored(ticket.uploadId)).toBe(false);
    const early = await complete(ticket.uploadId, 'citizen.an');
    expect(early.status).toBe(409);
    expect(((await early.json()) as ErrorBody).error.code).toBe('UPLOAD_NOT_RECEIVED');
    // The right bytes can still be sent to the same URL.
    expect((await putFile(ticket, pdf)).status).toBe(200);
    expect((await complete(ticket.uploadId, 'citizen.an')).status).toBe(200);
  });

  it('rejects the declared bytes stored without a checksum S3 verified, and removes them', async () => {
    // Completing reads the SHA-256 S3 keeps with the object; it does not download and hash the object.
    const ticket = await issue();
    await stack.clients.s3.send(
      new PutObjectCommand({
        Bucket: process.env.BUCKET_DOCUMENTS,
        Key: `uploads/${ticket.uploadId}`,
        Body: pdf,
        ContentType: 'application/pdf',
      }),
    );
    expect(await rejection(await complete(ticket.uploadId, 'citizen.an'))).toEqual(['sha256']);
    expect(await stored(ticket.uploadId)).toBe(false);
    expect(await stored(ticket.uploadId, 'documents')).toBe(false);
    // The decision stands: completing again gives the same refusal, with the recorded reason.
    const again = await complete(ticket.uploadId, 'citizen.an');
    expect(again.status).toBe(422);
    expect(((await again.json()) as ErrorBody).error.details?.reason).toContain('sha256');
  });

  it('verifies once when eight completions of one upload run at the same time', async () => {
    // Each completion copies the staging object to the same key; S3 (and the local front) takes them all.
    const ticket = await issue();
    await putFile(ticket, pdf);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => complete(ticket.uploadId, 'citizen.an')),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as {
      status: string;
      verifiedAt: string;
    }[];
    expect(new Set(bodies.map((b) => `${b.status} ${b.verifiedAt}`)).size).toBe(1);
    const kept = await stack.clients.s3.send(
      new GetObjectCommand({ Bucket: process.env.BUCKET_DOCUMENTS, Key: `documents/${ticket.uploadId}` }),
    );
    expect(Buffer.from(await kept.Body!.transformToByteArray())).toEqual(pdf);
  });

  it('rejects a file stored under another content type', async () => {
    const ticket = await issue();
    await putFile(ticket, pdf, { 'content-type': 'image/png' });
    expect(await rejection(await complete(ticket.uploadId, 'citizen.an'))).toEqual(['contentType']);
  });

  it('rejects an image declared and sent as a PDF (magic bytes)', async () => {
    const ticket = await issue(declaration(png, { fileName: 'anh.pdf' }));
    await putFile(ticket, png);
    expect(await rejection(await complete(ticket.uploadId, 'citizen.an'))).toEqual(['magicBytes']);
    expect(await stored(ticket.uploadId)).toBe(false);
  });

  it('marks an officer’s upload as digitized at their branch', async () => {
    const ticket = await issue(declaration(), 'officer.badinh', '/v1/counter/uploads');
    await putFile(ticket, pdf);
    const response = await complete(ticket.uploadId, 'officer.badinh');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'VERIFIED',
      digitizedBy: { sub: subOf('officer.badinh'), name: 'Lê Minh Châu', branch: '000.02.01.H26' },
    });
  });

  it('replays a request retried with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'upload-retry-0001' };
    const first = (await (
      await post('/v1/uploads', declaration(), { as: 'citizen.an', headers })
    ).json()) as Ticket;
    const again = await post('/v1/uploads', declaration(), { as: 'citizen.an', headers });
    expect(again.status).toBe(201);
    expect(((await again.json()) as Ticket).uploadId).toBe(first.uploadId);
    const other = await post('/v1/uploads', declaration(png), { as: 'citizen.an', headers });
    expect(other.status).toBe(422);
  });
});

describe('refusals', () => {
  const code = async (response: Response) => [
    response.status,
    ((await response.json()) as ErrorBody).error.code,
  ];

  it('answers 413 FILE_TOO_LARGE for a file above the requirement’s limit', async () => {
    const response = await post('/v1/uploads', declaration(pdf, { sizeBytes: 5 * 1024 * 1024 + 1 }), {
      as: 'citizen.an',
    });
    expect(await code(response)).toEqual([413, 'FILE_TOO_LARGE']);
  });

  it('answers 400 TYPE_NOT_ACCEPTED for a type the requirement does not take', async () => {
    const contract = declaration(png, {
      procedureCode: '2.001035',
      requirementId: 'du-thao-hop-dong',
      contentType: 'image/png',
    });
    const response = await post('/v1/uploads', contract, { as: 'citizen.an' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error).toMatchObject({
      code: 'TYPE_NOT_ACCEPTED',
      details: { acceptedTypes: ['application/pdf'] },
    });
  });

  it('answers 400 UNKNOWN_REQUIREMENT, 404 PROCEDURE_NOT_FOUND and 400 for a malformed declaration', async () => {
    const as = 'citizen.an';
    expect(
      await code(await post('/v1/uploads', declaration(pdf, { requirementId: 'khong-co' }), { as })),
    ).toEqual([400, 'UNKNOWN_REQUIREMENT']);
    expect(
      await code(await post('/v1/uploads', declaration(pdf, { procedureCode: '9.999999' }), { as })),
    ).toEqual([404, 'PROCEDURE_NOT_FOUND']);
    expect(await code(await post('/v1/uploads', declaration(pdf, { sha256: 'abc' }), { as }))).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
    expect(
      await code(await post('/v1/uploads', declaration(pdf, { fileName: '../../etc/passwd' }), { as })),
    ).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('answers 404 when another citizen completes someone’s upload, and leaves it untouched', async () => {
    const ticket = await issue();
    await putFile(ticket, pdf);
    const response = await complete(ticket.uploadId, 'citizen.binh');
    expect(await code(response)).toEqual([404, 'UPLOAD_NOT_FOUND']);
    expect((await uploadRepository().get(ticket.uploadId))?.status).toBe('PENDING');
    expect((await complete(ticket.uploadId, 'citizen.an')).status).toBe(200);
  });

  it('answers 401 without a token and 403 for the wrong role', async () => {
    expect((await post('/v1/uploads', declaration())).status).toBe(401);
    expect((await complete('aaaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(401);
    expect((await stack.call('/v1/me/documents')).status).toBe(401);
    expect((await post('/v1/uploads', declaration(), { as: 'officer.badinh' })).status).toBe(403);
    expect((await post('/v1/counter/uploads', declaration(), { as: 'citizen.an' })).status).toBe(403);
    expect((await complete('aaaaaaaaaaaaaaaaaaaaaaaaaa', 'admin')).status).toBe(403);
    expect((await stack.call('/v1/me/documents', { as: 'officer.badinh' })).status).toBe(403);
  });
});

describe('GET /v1/me/documents', () => {
  const document = (id: string, owner: string): PersonalDocument => ({
    id,
    ownerKey: applicantKey(cccdOf(owner)),
    requirementId: 'cccd',
    name: { vi: 'Căn cước công dân', en: 'Citizen ID card' },
    fileName: `${id}.pdf`,
    contentType: 'application/pdf',
    sizeBytes: pdf.length,
    sha256: sha256(pdf),
    s3Key: `uploads/${id}`,
    verifiedAt: '2026-11-27T03:00:00.000Z',
    sourceDossier: '000.02.01.H26-261127-0001',
  });

  it('answers an empty page for a citizen with nothing stored yet', async () => {
    const response = await stack.call('/v1/me/documents', { as: 'citizen.binh' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [] });
  });

  it("pages the citizen's own documents and refuses a cursor into another store", async () => {
    const client = dynamoDocumentClient();
    for (const item of [
      document('doc-1', 'citizen.an'),
      document('doc-2', 'citizen.an'),
      document('doc-3', 'citizen.an'),
    ]) {
      await client.send(
        new PutCommand({ TableName: process.env.TABLE_DOSSIERS, Item: personalDocumentItem(item) }),
      );
    }
    const first = (await (await stack.call('/v1/me/documents?limit=2', { as: 'citizen.an' })).json()) as {
      items: Record<string, unknown>[];
      nextCursor: string;
    };
    expect(first.items.map((d) => d.id)).toEqual(['doc-1', 'doc-2']);
    expect(first.items[0]).not.toHaveProperty('s3Key');
    const rest = await (
      await stack.call(`/v1/me/documents?limit=2&cursor=${first.nextCursor}`, { as: 'citizen.an' })
    ).json();
    expect(rest).toMatchObject({ items: [{ id: 'doc-3' }] });
    const foreign = await stack.call(`/v1/me/documents?cursor=${first.nextCursor}`, { as: 'citizen.binh' });
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as ErrorBody).error.code).toBe('INVALID_CURSOR');
    expect(
      await personalDocumentStore().getMany(applicantKey(cccdOf('citizen.an')), ['doc-3', 'doc-1', 'doc-9']),
    ).toHaveLength(2);
    expect(await personalDocumentStore().getMany(applicantKey(cccdOf('citizen.binh')), ['doc-1'])).toEqual(
      [],
    );
  });
});

describe('dynamoUploadRepository', () => {
  const upload = (id: string): Upload => ({
    id,
    ownerSub: 'sub-x',
    procedureCode: '1.001193',
    requirementId: 'cccd',
    fileName: 'cccd.pdf',
    contentType: 'application/pdf',
    sizeBytes: 10,
    sha256: sha256(pdf),
    s3Key: `uploads/${id}`,
    status: 'PENDING',
    createdAt: '2026-11-27T03:00:00.000Z',
    expiresAt: '2026-11-27T03:15:00.000Z',
  });

  it('reads more than 100 ids in chunks, ignoring duplicates and missing ones', async () => {
    const repository = uploadRepository();
    const ids = Array.from({ length: 120 }, (_, i) => `batch${String(i).padStart(3, '0')}`);
    await Promise.all(ids.slice(0, 110).map((id) => repository.create(upload(id))));
    const found = await repository.getMany([...ids, ids[0]!, ids[1]!]);
    expect(found.map((u) => u.id).sort()).toEqual(ids.slice(0, 110));
  });

  it('settles once: a second decision is a conflict, and an id is never reused', async () => {
    const repository = uploadRepository();
    await repository.create(upload('settle-once'));
    await expect(repository.create(upload('settle-once'))).rejects.toMatchObject({ code: 'UPLOAD_EXISTS' });
    await repository.settle('settle-once', {
      status: 'REJECTED',
      at: '2026-11-27T03:01:00.000Z',
      reason: 'sha256',
    });
    await expect(
      repository.settle('settle-once', {
        status: 'VERIFIED',
        at: '2026-11-27T03:02:00.000Z',
        s3Key: 'documents/settle-once',
      }),
    ).rejects.toMatchObject({ status: 409, code: 'UPLOAD_ALREADY_SETTLED' });
    expect(await repository.get('settle-once')).toMatchObject({
      status: 'REJECTED',
      rejectedAt: '2026-11-27T03:01:00.000Z',
      rejectedReason: 'sha256',
    });
  });
});
