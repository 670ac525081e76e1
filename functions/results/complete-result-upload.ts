import { documentObjectStore, uploadRepository } from '../../shared/adapters/document-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as resultRoutes from '../../shared/http/routes/results';
import { completeUpload } from '../../shared/usecases/documents/complete-upload';

const deps = { uploads: uploadRepository(), objects: documentObjectStore(), clock: () => new Date() };

export const handler = httpRoute(resultRoutes.completeResultUpload, async ({ path, caller, log }) => {
  const upload = await completeUpload({ uploadId: path.uploadId, caller }, deps);
  log.info('result document verified', { uploadId: upload.id });
  return { body: upload };
});
