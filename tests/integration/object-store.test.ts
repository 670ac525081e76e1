import { createHash, randomBytes } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
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
    expect(await store.inspect('uploads/happy')).toEqual({
      sizeBytes: pdf.length,
      contentType: 'application/pdf',
      sha256: sha256(pdf),
      head: pdf.subarray(0, 16),
    });
  });

  it('leaves other bytes under a signed checksum for the verify step to catch (s3rver does not check it)', async () => {
    const put = await store.presignPut(declared('uploads/tampered'));
    const other = Buffer.from(pdf);
    other[10] = 0x58;
    const response = await fetch(put.url, { method: put.method, headers: put.headers, body: other });
    // S3 itself answers 400 BadDigest here; the emulator stores the bytes, so the server must hash them.
    expect(response.status).toBe(200);
    const found = await store.inspect('uploads/tampered');
    expect(found?.sha256).toBe(sha256(other));
    expect(found?.sha256).not.toBe(put.headers['x-amz-checksum-sha256']);
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

describe('s3ObjectStore reads and writes', () => {
  it('hashes a large object streamed in many chunks and keeps its first 16 bytes', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 7);
    await store.put('uploads/big', big, 'image/png');
    expect(await store.inspect('uploads/big')).toEqual({
      sizeBytes: big.length,
      contentType: 'image/png',
      sha256: sha256(big),
      head: big.subarray(0, 16),
    });
  });

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
