import { requestUploadDeps } from '../../shared/adapters/document-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as documentRoutes from '../../shared/http/routes/documents';
import { requestUpload } from '../../shared/usecases/documents/request-upload';

const deps = requestUploadDeps();

export const handler = httpRoute(documentRoutes.requestUpload, async ({ body, caller, idempotencyKey }) => {
  const answer = await requestUpload(
    { ...body, caller, ...(idempotencyKey ? { idempotencyKey } : {}) },
    deps,
  );
  return { body: answer };
});
