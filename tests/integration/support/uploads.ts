// Uploads a file the way a client does: ask for a presigned PUT, send the bytes, ask the server to verify.
import { createHash } from 'node:crypto';
import type { TestStack } from './stack';

export const samplePdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);

export async function uploadFile(
  stack: TestStack,
  as: string,
  input: {
    procedureCode: string;
    requirementId: string;
    bytes?: Buffer;
    contentType?: string;
    counter?: boolean;
  },
): Promise<string> {
  const bytes = input.bytes ?? samplePdf(`${input.requirementId} ${Math.random()}`);
  const ticket = await stack.call(input.counter ? '/v1/counter/uploads' : '/v1/uploads', {
    method: 'POST',
    as,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      procedureCode: input.procedureCode,
      requirementId: input.requirementId,
      fileName: `${input.requirementId}.pdf`,
      contentType: input.contentType ?? 'application/pdf',
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('base64'),
    }),
  });
  if (ticket.status !== 201 && ticket.status !== 200)
    throw new Error(`upload ticket ${ticket.status}: ${await ticket.text()}`);
  const { uploadId, upload } = (await ticket.json()) as {
    uploadId: string;
    upload: { url: string; headers: Record<string, string> };
  };
  const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
  if (!put.ok) throw new Error(`PUT ${put.status}: ${await put.text()}`);
  const done = await stack.call(`/v1/uploads/${uploadId}/complete`, { method: 'POST', as });
  if (done.status !== 200) throw new Error(`complete ${done.status}: ${await done.text()}`);
  return uploadId;
}
