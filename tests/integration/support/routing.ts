// Files the demo bundle at the Ba Đình counter (officer.badinh), as the routing tests start: it is RECEIVED at once
// and routed.
import { expect } from 'vitest';
import { demoBundle } from '../../../local/demo';
import type { TestStack } from './stack';
import { uploadFile } from './uploads';

export async function fileBundle(stack: TestStack): Promise<string> {
  const documents = await Promise.all(
    demoBundle.documents.map(async (requirementId) => ({
      requirementId,
      uploadId: await uploadFile(stack, 'officer.badinh', {
        procedureCode: demoBundle.procedureCode,
        requirementId,
        counter: true,
      }),
    })),
  );
  const response = await stack.call('/v1/counter/dossiers', {
    method: 'POST',
    as: 'officer.badinh',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      procedureCode: demoBundle.procedureCode,
      applicant: demoBundle.applicant,
      answers: demoBundle.answers,
      documents,
    }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { code: string }).code;
}
