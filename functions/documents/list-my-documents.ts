import { personalDocumentStore } from '../../shared/adapters/document-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as documentRoutes from '../../shared/http/routes/documents';
import { listPersonalDocuments } from '../../shared/usecases/documents/list-personal-documents';

const personal = personalDocumentStore();

export const handler = httpRoute(documentRoutes.listMyDocuments, async ({ query, caller }) => ({
  body: await listPersonalDocuments({ caller, page: query }, { personal }),
}));
