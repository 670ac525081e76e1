import { createHash, randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localClients } from '../../local/bootstrap';
import { s3ObjectStore } from '../../shared/adapters/s3/object-store';

const { s3 } = localClients(inject('emulators'));
const bucket = `t${randomBytes(4).toString('hex')}-documents`;
const store = s3ObjectStore(s3, bucket);

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');
const declared = (key: string, bytes = pdf) => ({
  key,
  contentType: 'application/pdf',
  sizeBytes: bytes.length,
  sha256: sha256(bytes),
  expiresInSeconds: 60,
});

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

describe('s3ObjectStore.presignPut', () => {
  it('signs content type, length and checksum as headers, not query parameters', async () => {
    const put = await store.presignPut(declared('uploads/signed-headers'));
    const query = new URL(put.url).searchParams;
    expect(query.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-type', 'content-length', 'x-amz-checksum-sha256']),
    );
    expect(query.has('x-amz-checksum-sha256')).toBe(false);
    expect(query.get('X-Amz-Expires')).toBe('60');
    expect(put.headers).toEqual({
      'content-type': 'application/pdf',
      'content-length': String(pdf.length),
      'x-amz-checksum-sha256': sha256(pdf),
    });
  });

  it('takes the declared file sent with the returned headers', async () => {
    const put = await store.presignPut(declared('uploads/happy'));
    const response = await fetch(put.url, { method: put.method, headers: put.headers, body: pdf });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-checksum-sha256')).toBe(sha256(pdf));
    expect(await store.inspect('uploads/happy')).toEqual({
      sizeBytes: pdf.length,
      contentType: 'application/pdf',
      sha256: sha256(pdf),
      head: pdf.subarray(0, 16),
    });
  });

  it('is refused with 400 BadDigest for other bytes under the signed checksum, and stores nothing', async () => {
    const put = await store.presignPut(declared('uploads/tampered'));
    const other = Buffer.from(pdf);
    other[10] = 0x58;
    const response = await fetch(put.url, { method: put.method, headers: put.headers, body: other });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>BadDigest</Code>');
    expect(await store.inspect('uploads/tampered')).toBeUndefined();
  });

  it('is refused once expired', async () => {
    // Signed a minute ago for one second: expired without the test having to wait.
    const past = s3ObjectStore(s3, bucket, { now: () => new Date(Date.now() - 60_000) });
    const put = await past.presignPut({ ...declared('uploads/expired'), expiresInSeconds: 1 });
    expect(Date.parse(put.expiresAt)).toBeLessThan(Date.now());
    const response = await fetch(put.url, { method: put.method, headers: put.headers, body: pdf });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
    expect(await store.inspect('uploads/expired')).toBeUndefined();
  });
});

describe('s3ObjectStore.inspect', () => {
  it('reads the checksum S3 verified and only the first 16 bytes, never the whole object', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 7);
    await store.put('uploads/big', big, 'image/png');
    const sent: { command: string; input: Record<string, unknown> }[] = [];
    const watched = localClients(inject('emulators')).s3;
    watched.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({ command: String(context.commandName), input: args.input as Record<string, unknown> });
        return next(args);
      },
      { step: 'initialize' },
    );
    expect(await s3ObjectStore(watched, bucket).inspect('uploads/big')).toEqual({
      sizeBytes: big.length,
      contentType: 'image/png',
      sha256: sha256(big),
      head: big.subarray(0, 16),
    });
    expect(sent.map((s) => s.command)).toEqual(['HeadObjectCommand', 'GetObjectCommand']);
    expect(sent[0]?.input).toMatchObject({ ChecksumMode: 'ENABLED' });
    expect(sent[1]?.input).toMatchObject({ Range: 'bytes=0-15' });
  });

  it('reports no SHA-256 for an object written without one', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'uploads/unchecked',
        Body: pdf,
        ContentType: 'application/pdf',
      }),
    );
    const found = await store.inspect('uploads/unchecked');
    expect(found).toMatchObject({ sizeBytes: pdf.length, head: pdf.subarray(0, 16) });
    expect(found).not.toHaveProperty('sha256');
  });

  it('reads the few bytes of an object shorter than 16, and none of an empty one', async () => {
    await store.put('uploads/short', Buffer.from('%PDF-'), 'application/pdf');
    expect((await store.inspect('uploads/short'))?.head).toEqual(Buffer.from('%PDF-'));
    await store.put('uploads/empty', Buffer.alloc(0), 'application/pdf');
    expect(await store.inspect('uploads/empty')).toEqual({
      sizeBytes: 0,
      contentType: 'application/pdf',
      sha256: sha256(Buffer.alloc(0)),
      head: Buffer.alloc(0),
    });
  });
});

describe('s3ObjectStore.copy', () => {
  it('keeps the checksum with the copy', async () => {
    await store.put('uploads/original', pdf, 'application/pdf');
    expect(await store.copy('uploads/original', 'documents/original')).toBe(true);
    expect((await store.inspect('documents/original'))?.sha256).toBe(sha256(pdf));
  });

  it('lets 16 concurrent copies to one key all succeed', async () => {
    const bytes = Buffer.concat([pdf, randomBytes(256 * 1024)]);
    await store.put('uploads/shared', bytes, 'application/pdf');
    const copies = await Promise.allSettled(
      Array.from({ length: 16 }, () => store.copy('uploads/shared', 'documents/shared')),
    );
    expect(copies.filter((c) => c.status === 'rejected')).toEqual([]);
    expect(copies.map((c) => c.status === 'fulfilled' && c.value)).toEqual(Array(16).fill(true));
    expect(Buffer.from((await store.get('documents/shared'))!)).toEqual(bytes);
    expect((await store.inspect('documents/shared'))?.sha256).toBe(sha256(bytes));
  });

  it('answers false when there is nothing to copy', async () => {
    expect(await store.copy('uploads/never-put', 'documents/never-put')).toBe(false);
  });
});

describe('s3ObjectStore reads and writes', () => {
  it('gets what was put, and nothing for a missing key', async () => {
    await store.put('dossiers/x/forms/01-1.pdf', pdf, 'application/pdf');
    expect(Buffer.from((await store.get('dossiers/x/forms/01-1.pdf'))!)).toEqual(pdf);
    expect(await store.get('dossiers/none.pdf')).toBeUndefined();
    expect(await store.inspect('dossiers/none.pdf')).toBeUndefined();
  });

  it('deletes', async () => {
    await store.put('uploads/gone', pdf, 'application/pdf');
    await store.delete('uploads/gone');
    expect(await store.get('uploads/gone')).toBeUndefined();
  });
});
