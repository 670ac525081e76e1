import { documentObjectStore } from '../../shared/adapters/document-deps';
import { dossierRepository } from '../../shared/adapters/dossier-deps';
import { httpRoute } from '../../shared/http/middleware';
import * as resultRoutes from '../../shared/http/routes/results';
import { getResult } from '../../shared/usecases/results/get-result';

const deps = { dossiers: dossierRepository(), objects: documentObjectStore(), clock: () => new Date() };

export const handler = httpRoute(resultRoutes.getDossierResult, async ({ path, caller }) => ({
  body: await getResult({ code: path.code, caller }, deps),
}));
