import { documentObjectStore, uploadRepository } from '../../shared/adapters/document-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as documentRoutes from '../../shared/http/routes/documents';
import { completeUpload } from '../../shared/usecases/documents/complete-upload';

const deps = { uploads: uploadRepository(), objects: documentObjectStore(), clock: () => new Date() };

export const handler = httpRoute(documentRoutes.completeUpload, async ({ path, caller, log }) => {
  const upload = await completeUpload({ uploadId: path.uploadId, caller }, deps);
  log.info('upload verified', { uploadId: upload.id, requirementId: upload.requirementId });
  return { body: upload };
});
