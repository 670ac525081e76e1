// The same use case as a citizen's upload; the officer caller marks the file as digitized at their branch.
import { requestUploadDeps } from '../../shared/adapters/document-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as documentRoutes from '../../shared/http/routes/documents';
import { requestUpload } from '../../shared/usecases/documents/request-upload';

const deps = requestUploadDeps();

export const handler = httpRoute(
  documentRoutes.requestCounterUpload,
  async ({ body, caller, idempotencyKey }) => {
    const answer = await requestUpload(
      { ...body, caller, ...(idempotencyKey ? { idempotencyKey } : {}) },
      deps,
    );
    return { body: answer };
  },
);
