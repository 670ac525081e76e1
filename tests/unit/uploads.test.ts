import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/domain/caller';
import { applicantKey } from '../../shared/domain/dossier-code';
import { AppError, IdempotencyKeyReusedError } from '../../shared/errors';
import type { PersonalDocument } from '../../shared/ports/documents';
import { completeUpload } from '../../shared/usecases/documents/complete-upload';
import { listPersonalDocuments } from '../../shared/usecases/documents/list-personal-documents';
import { newUploadId, requestUpload } from '../../shared/usecases/documents/request-upload';
import { memoryCatalogue } from './fakes/memory-catalogue';
import { memoryObjectStore, memoryPersonalDocuments, memoryUploads } from './fakes/memory-documents';
import { asVersions } from './fixtures';

const now = new Date('2026-11-27T03:00:00.000Z');
const an: Caller = { kind: 'citizen', sub: 'sub-an', name: 'Nguyễn Văn An', citizenId: '001090012345' };
const binh: Caller = {
  kind: 'citizen',
  sub: 'sub-binh',
  name: 'Trần Thị Bình',
  citizenId: '001185054321',
};
const officer: Caller = {
  kind: 'staff',
  sub: 'sub-officer',
  name: 'Lê Minh Châu',
  roles: ['officer'],
  branch: '000.02.01.H26',
};

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const png = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');

const declaration = (bytes: Buffer = pdf, contentType = 'application/pdf') => ({
  procedureCode: '1.001193',
  requirementId: 'giay-chung-sinh',
  fileName: 'giay-chung-sinh.pdf',
  contentType,
  sizeBytes: bytes.length,
  sha256: sha256(bytes),
});

async function setup() {
  const catalogue = memoryCatalogue();
  for (const version of asVersions()) await catalogue.repository.publish(version, 'seed');
  const uploads = memoryUploads();
  const objects = memoryObjectStore();
  const deps = {
    catalogue: catalogue.repository,
    uploads: uploads.repository,
    objects: objects.store,
    idempotency: uploads.idempotency,
    clock: () => now,
  };
  const issue = async (caller: Caller = an, declared = declaration()) =>
    await requestUpload({ ...declared, caller }, deps);
  return { catalogue, uploads, objects, deps, issue };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('requestUpload', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    ctx = await setup();
  });

  it('issues a presigned PUT that fixes the content type, length and SHA-256', async () => {
    const answer = await requestUpload({ ...declaration(), caller: an }, ctx.deps);
    expect(answer.upload).toMatchObject({
      method: 'PUT',
      headers: {
        'content-type': 'application/pdf',
        'content-length': String(pdf.length),
        'x-amz-checksum-sha256': sha256(pdf),
      },
    });
    expect(answer.expiresAt).toBe(answer.upload.expiresAt);
  });

  it('records a PENDING upload owned by the citizen under a random key', async () => {
    const { uploadId } = await ctx.issue();
    expect(ctx.uploads.all.get(uploadId)).toMatchObject({
      ownerSub: 'sub-an',
      status: 'PENDING',
      s3Key: `uploads/${uploadId}`,
      procedureCode: '1.001193',
      requirementId: 'giay-chung-sinh',
      createdAt: now.toISOString(),
      expiresAt: '2026-11-27T03:15:00.000Z',
    });
    expect(ctx.uploads.all.get(uploadId)?.digitizedBy).toBeUndefined();
  });

  it('draws ids of 128 random bits in lowercase base32', () => {
    const ids = Array.from({ length: 50 }, newUploadId);
    for (const id of ids) expect(id).toMatch(/^[a-z2-7]{26}$/);
    expect(new Set(ids).size).toBe(50);
  });

  it("marks an officer's upload as a paper original digitized at their branch", async () => {
    const { uploadId } = await ctx.issue(officer);
    expect(ctx.uploads.all.get(uploadId)).toMatchObject({
      ownerSub: 'sub-officer',
      digitizedBy: { sub: 'sub-officer', name: 'Lê Minh Châu', branch: '000.02.01.H26' },
    });
  });

  it('refuses an officer with no branch and staff who are not officers', async () => {
    const { branch: _none, ...noBranch } = officer as Extract<Caller, { kind: 'staff' }>;
    expect((await refusal(ctx.issue(noBranch))).code).toBe('NO_BRANCH');
    const supervisor: Caller = { ...noBranch, roles: ['supervisor'], branch: '000.02.01.H26' };
    expect((await refusal(ctx.issue(supervisor))).status).toBe(403);
    expect(ctx.uploads.all.size).toBe(0);
  });

  it('answers 404 PROCEDURE_NOT_FOUND for a procedure not in the catalogue', async () => {
    const error = await refusal(ctx.issue(an, { ...declaration(), procedureCode: '9.999999' }));
    expect([error.status, error.code]).toEqual([404, 'PROCEDURE_NOT_FOUND']);
  });

  it('answers 400 UNKNOWN_REQUIREMENT for a document the procedure does not ask for', async () => {
    const error = await refusal(ctx.issue(an, { ...declaration(), requirementId: 'giay-phep-lai-xe' }));
    expect([error.status, error.code]).toEqual([400, 'UNKNOWN_REQUIREMENT']);
    expect(error.details).toMatchObject({ requirementIds: expect.arrayContaining(['giay-chung-sinh']) });
  });

  it('answers 400 TYPE_NOT_ACCEPTED listing the accepted types', async () => {
    const contract = {
      ...declaration(png, 'image/png'),
      procedureCode: '2.001035',
      requirementId: 'du-thao-hop-dong',
    };
    const error = await refusal(ctx.issue(an, contract));
    expect([error.status, error.code]).toEqual([400, 'TYPE_NOT_ACCEPTED']);
    expect(error.details).toEqual({ acceptedTypes: ['application/pdf'] });
    const gif = await refusal(ctx.issue(an, { ...declaration(), contentType: 'image/gif' }));
    expect(gif.code).toBe('TYPE_NOT_ACCEPTED');
  });

  it("answers 413 FILE_TOO_LARGE above the requirement's limit, and accepts exactly the limit", async () => {
    const limit = 5 * 1024 * 1024;
    const error = await refusal(ctx.issue(an, { ...declaration(), sizeBytes: limit + 1 }));
    expect([error.status, error.code]).toEqual([413, 'FILE_TOO_LARGE']);
    expect(error.details).toEqual({ maxSizeBytes: limit });
    await expect(ctx.issue(an, { ...declaration(), sizeBytes: limit })).resolves.toHaveProperty('uploadId');
    expect(ctx.uploads.all.size).toBe(1);
  });

  it("checks against the procedure's current version", async () => {
    const [birth] = asVersions().filter((p) => p.code === '1.001193');
    const v2 = {
      ...birth!,
      version: 2,
      requiredDocuments: birth!.requiredDocuments.filter((r) => r.id !== 'giay-chung-sinh'),
    };
    await ctx.catalogue.repository.publish(v2, 'admin');
    expect((await refusal(ctx.issue())).code).toBe('UNKNOWN_REQUIREMENT');
  });

  it('replays a retried request: the same upload, a freshly signed URL', async () => {
    const input = { ...declaration(), caller: an, idempotencyKey: 'upload-key-0001' };
    const first = await requestUpload(input, ctx.deps);
    const again = await requestUpload(input, ctx.deps);
    expect(again.uploadId).toBe(first.uploadId);
    expect(ctx.uploads.all.size).toBe(1);
  });

  it('answers with the upload of a concurrent twin request that recorded the key first', async () => {
    const input = { ...declaration(), caller: an, idempotencyKey: 'upload-key-0003' };
    // The key is looked up only when the create fails: the winner read nothing.
    let reads = 0;
    const find = ctx.uploads.idempotency.find;
    const counted = {
      ...ctx.deps,
      idempotency: {
        find: (id: string) => {
          reads += 1;
          return find(id);
        },
      },
    };
    const winner = await requestUpload(input, counted);
    expect(reads).toBe(0);
    // The loser acts as if alone, loses its create on the key's record, then reads the winner's answer.
    const loser = await requestUpload(input, counted);
    expect(reads).toBe(1);
    expect(loser.uploadId).toBe(winner.uploadId);
    expect(loser.upload.url).toContain(`uploads/${winner.uploadId}`);
    expect(ctx.uploads.all.size).toBe(1);
  });

  it('refuses a reused key with another declaration, and a replay once the upload is settled', async () => {
    const input = { ...declaration(), caller: an, idempotencyKey: 'upload-key-0002' };
    const first = await requestUpload(input, ctx.deps);
    await expect(requestUpload({ ...input, fileName: 'other.pdf' }, ctx.deps)).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    ctx.objects.receive(`uploads/${first.uploadId}`, pdf, 'application/pdf');
    await completeUpload({ uploadId: first.uploadId, caller: an }, ctx.deps);
    expect((await refusal(requestUpload(input, ctx.deps))).code).toBe('UPLOAD_ALREADY_SETTLED');
  });
});

describe('completeUpload', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    ctx = await setup();
  });

  const uploadAndComplete = async (
    bytes: Buffer,
    stored: Buffer,
    storedType: string,
    declared = declaration(bytes),
  ) => {
    const { uploadId } = await ctx.issue(an, declared);
    ctx.objects.receive(`uploads/${uploadId}`, stored, storedType);
    return { uploadId, result: completeUpload({ uploadId, caller: an }, ctx.deps) };
  };

  it('verifies a file that matches its declaration and keeps it', async () => {
    const { uploadId, result } = await uploadAndComplete(pdf, pdf, 'application/pdf');
    expect(await result).toEqual({
      id: uploadId,
      status: 'VERIFIED',
      procedureCode: '1.001193',
      requirementId: 'giay-chung-sinh',
      fileName: 'giay-chung-sinh.pdf',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      verifiedAt: now.toISOString(),
    });
    expect(ctx.uploads.all.get(uploadId)?.status).toBe('VERIFIED');
    expect(ctx.objects.objects.has(`documents/${uploadId}`)).toBe(true);
    expect(ctx.objects.objects.has(`uploads/${uploadId}`)).toBe(false);
    expect(ctx.uploads.all.get(uploadId)?.s3Key).toBe(`documents/${uploadId}`);
  });

  it.each([
    ['application/pdf', pdf],
    ['image/jpeg', jpeg],
    ['image/png', png],
  ])('accepts the magic bytes of %s', async (type, bytes) => {
    const { result } = await uploadAndComplete(bytes, bytes, type, declaration(bytes, type));
    await expect(result).resolves.toMatchObject({ status: 'VERIFIED' });
  });

  it('answers a second completion with the same view without reading the file again', async () => {
    const { uploadId, result } = await uploadAndComplete(pdf, pdf, 'application/pdf');
    const first = await result;
    const reads = ctx.objects.inspections();
    expect(await completeUpload({ uploadId, caller: an }, ctx.deps)).toEqual(first);
    expect(ctx.objects.inspections()).toBe(reads);
  });

  it('answers 409 UPLOAD_NOT_RECEIVED before the file arrives, and verifies once it has', async () => {
    const { uploadId } = await ctx.issue();
    const error = await refusal(completeUpload({ uploadId, caller: an }, ctx.deps));
    expect([error.status, error.code]).toEqual([409, 'UPLOAD_NOT_RECEIVED']);
    expect(ctx.uploads.all.get(uploadId)?.status).toBe('PENDING');
    ctx.objects.receive(`uploads/${uploadId}`, pdf, 'application/pdf');
    await expect(completeUpload({ uploadId, caller: an }, ctx.deps)).resolves.toMatchObject({
      status: 'VERIFIED',
    });
  });

  it('answers 404 UPLOAD_NOT_FOUND for an unknown id and for another person’s upload alike', async () => {
    const { uploadId } = await uploadAndComplete(pdf, pdf, 'application/pdf').then(async (u) => {
      await u.result;
      return u;
    });
    const unknown = await refusal(completeUpload({ uploadId: newUploadId(), caller: an }, ctx.deps));
    const foreign = await refusal(completeUpload({ uploadId, caller: binh }, ctx.deps));
    expect([foreign.status, foreign.code, foreign.message]).toEqual([
      unknown.status,
      unknown.code,
      unknown.message,
    ]);
    expect(foreign.code).toBe('UPLOAD_NOT_FOUND');
  });

  it('does not let another citizen verify or reject a pending upload', async () => {
    const { uploadId } = await ctx.issue();
    ctx.objects.receive(`uploads/${uploadId}`, Buffer.from('not the declared file'), 'application/pdf');
    expect((await refusal(completeUpload({ uploadId, caller: binh }, ctx.deps))).status).toBe(404);
    expect(ctx.uploads.all.get(uploadId)?.status).toBe('PENDING');
    expect(ctx.objects.objects.has(`uploads/${uploadId}`)).toBe(true);
  });

  it('rejects bytes whose SHA-256 differs from the declaration, deletes them and says why', async () => {
    const tampered = Buffer.from(pdf);
    tampered[tampered.length - 2] = 0x41;
    const { uploadId, result } = await uploadAndComplete(pdf, tampered, 'application/pdf');
    const error = await refusal(result);
    expect([error.status, error.code]).toEqual([422, 'UPLOAD_REJECTED']);
    expect(error.details).toMatchObject({ failedChecks: [{ check: 'sha256', expected: sha256(pdf) }] });
    expect(ctx.objects.objects.has(`uploads/${uploadId}`)).toBe(false);
    expect(ctx.uploads.all.get(uploadId)).toMatchObject({
      status: 'REJECTED',
      rejectedAt: now.toISOString(),
      rejectedReason: expect.stringContaining('sha256'),
    });
  });

  it('rejects the declared bytes when the store vouches for no SHA-256 of them (it does not hash them itself)', async () => {
    const { uploadId } = await ctx.issue(an, declaration(pdf));
    ctx.objects.receive(`uploads/${uploadId}`, pdf, 'application/pdf', null);
    const error = await refusal(completeUpload({ uploadId, caller: an }, ctx.deps));
    expect(error.details).toMatchObject({ failedChecks: [{ check: 'sha256', expected: sha256(pdf) }] });
    expect((error.details as { failedChecks: object[] }).failedChecks[0]).not.toHaveProperty('actual');
  });

  it('trusts the SHA-256 the store verified on write rather than hashing what it holds', async () => {
    // A store that recorded the declared checksum over other bytes is not second-guessed: S3 refuses those writes.
    const other = Buffer.from(pdf);
    other[other.length - 2] = 0x41;
    const { uploadId } = await ctx.issue(an, declaration(pdf));
    ctx.objects.receive(`uploads/${uploadId}`, other, 'application/pdf', sha256(pdf));
    expect((await completeUpload({ uploadId, caller: an }, ctx.deps)).status).toBe('VERIFIED');
  });

  it('rejects a file of another size than declared', async () => {
    const longer = Buffer.concat([pdf, Buffer.from('extra')]);
    const { result } = await uploadAndComplete(pdf, longer, 'application/pdf');
    const error = await refusal(result);
    expect(error.details).toMatchObject({
      failedChecks: expect.arrayContaining([{ check: 'size', expected: pdf.length, actual: longer.length }]),
    });
  });

  it('rejects a file stored with another content type than declared', async () => {
    const { result } = await uploadAndComplete(pdf, pdf, 'image/png');
    const error = await refusal(result);
    expect(error.details).toMatchObject({
      failedChecks: [{ check: 'contentType', expected: 'application/pdf', actual: 'image/png' }],
    });
  });

  it('rejects a file whose magic bytes are not those of its declared type', async () => {
    // An image renamed to .pdf: size, checksum and content type all match the (false) declaration.
    const { uploadId, result } = await uploadAndComplete(png, png, 'application/pdf', declaration(png));
    const error = await refusal(result);
    expect(error.details).toMatchObject({
      failedChecks: [{ check: 'magicBytes', expected: 'application/pdf' }],
    });
    expect(ctx.objects.objects.has(`uploads/${uploadId}`)).toBe(false);
  });

  it('answers 422 with the recorded reason when a rejected upload is completed again', async () => {
    const { uploadId, result } = await uploadAndComplete(pdf, png, 'application/pdf');
    const first = await refusal(result);
    const again = await refusal(completeUpload({ uploadId, caller: an }, ctx.deps));
    expect([again.status, again.code]).toEqual([422, 'UPLOAD_REJECTED']);
    expect((again.details as { reason: string }).reason).toBe((first.details as { reason: string }).reason);
  });

  it("keeps the officer's digitization mark on the verified upload", async () => {
    const { uploadId } = await ctx.issue(officer);
    ctx.objects.receive(`uploads/${uploadId}`, pdf, 'application/pdf');
    expect(await completeUpload({ uploadId, caller: officer }, ctx.deps)).toMatchObject({
      status: 'VERIFIED',
      digitizedBy: { sub: 'sub-officer', name: 'Lê Minh Châu', branch: '000.02.01.H26' },
    });
  });

  it('answers with the decision of a concurrent completion that settled first', async () => {
    const { uploadId } = await ctx.issue();
    ctx.objects.receive(`uploads/${uploadId}`, pdf, 'application/pdf');
    const settle = ctx.uploads.repository.settle;
    const racing = {
      ...ctx.deps,
      uploads: {
        ...ctx.uploads.repository,
        settle: async (id: string, outcome: Parameters<typeof settle>[1]) => {
          await settle(id, { status: 'VERIFIED', at: '2026-11-27T02:59:59.000Z', s3Key: 'documents/x' });
          return settle(id, outcome);
        },
      },
    };
    expect(await completeUpload({ uploadId, caller: an }, racing)).toMatchObject({
      status: 'VERIFIED',
      verifiedAt: '2026-11-27T02:59:59.000Z',
    });
  });
});

describe('listPersonalDocuments', () => {
  const document = (id: string, citizenId: string): PersonalDocument => ({
    id,
    ownerKey: applicantKey(citizenId),
    requirementId: 'cccd',
    name: { vi: 'Căn cước công dân', en: 'Citizen ID card' },
    fileName: `${id}.pdf`,
    contentType: 'application/pdf',
    sizeBytes: 1234,
    sha256: sha256(pdf),
    s3Key: `uploads/${id}`,
    verifiedAt: now.toISOString(),
    sourceDossier: '000.02.01.H26-261127-0001',
  });

  it("pages the citizen's own documents and keeps storage details inside", async () => {
    const personal = memoryPersonalDocuments();
    for (const id of ['doc-a', 'doc-b', 'doc-c']) personal.add(document(id, '001090012345'));
    personal.add(document('doc-z', '001185054321'));
    const first = await listPersonalDocuments(
      { caller: an, page: { limit: 2 } },
      { personal: personal.store },
    );
    expect(first.items.map((d) => d.id)).toEqual(['doc-a', 'doc-b']);
    expect(first.items[0]).not.toHaveProperty('s3Key');
    expect(first.items[0]).not.toHaveProperty('ownerKey');
    const second = await listPersonalDocuments(
      { caller: an, page: { limit: 2, cursor: first.nextCursor! } },
      { personal: personal.store },
    );
    expect(second).toEqual({ items: [expect.objectContaining({ id: 'doc-c' })] });
  });

  it('answers an empty page for a citizen with no documents yet', async () => {
    const personal = memoryPersonalDocuments();
    expect(
      await listPersonalDocuments({ caller: binh, page: { limit: 20 } }, { personal: personal.store }),
    ).toEqual({
      items: [],
    });
  });

  it('refuses anyone but a citizen', async () => {
    const personal = memoryPersonalDocuments();
    const error = await refusal(
      listPersonalDocuments({ caller: officer, page: { limit: 20 } }, { personal: personal.store }),
    );
    expect(error.status).toBe(403);
  });
});
