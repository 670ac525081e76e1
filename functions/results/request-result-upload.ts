import { requestUploadDeps } from '../../shared/adapters/document-deps';
import { taskRepository } from '../../shared/adapters/routing-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as resultRoutes from '../../shared/http/routes/results';
import { requestResultUpload } from '../../shared/usecases/results/result-uploads';

const { catalogue: _unused, ...upload } = requestUploadDeps();
const deps = { ...upload, tasks: taskRepository() };

export const handler = httpRoute(
  resultRoutes.requestResultUpload,
  async ({ path, body, caller, idempotencyKey }) => ({
    body: await requestResultUpload(
      { ...body, taskId: path.id, caller, ...(idempotencyKey ? { idempotencyKey } : {}) },
      deps,
    ),
  }),
);
