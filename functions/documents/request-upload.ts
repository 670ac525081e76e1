import { requestUploadDeps } from '../../shared/adapters/document-deps';
import { httpRoute } from '../../shared/http/middleware';
import { documentRoutes } from '../../shared/http/routes/documents';
import { requestUpload } from '../../shared/usecases/documents/request-upload';

const deps = requestUploadDeps();

export const handler = httpRoute(
  documentRoutes.requestUpload,
  async ({ body, principal, idempotencyKey }) => {
    const answer = await requestUpload(
      { ...body, principal, ...(idempotencyKey ? { idempotencyKey } : {}) },
      deps,
    );
    return { status: answer.status, body: answer.body };
  },
);
