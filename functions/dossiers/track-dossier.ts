// Public tracking, the URL the receipt's QR code holds: a page for a person's browser, the same answer as JSON otherwise.
import { dossierRepository } from '../../shared/adapters/dossier-deps';
import { prefersHtml } from '../../shared/http/headers';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { langOf, trackingPage, trackingPageHeaders, trackingRefusalPage } from '../../shared/pages/tracking';
import { trackDossier, trackDossierPage } from '../../shared/usecases/dossiers/read-dossiers';

const deps = { dossiers: dossierRepository() };

export const handler = httpRoute(
  dossierRoutes.trackDossier,
  async ({ path, query, headers }) => {
    if (!prefersHtml(headers.accept)) return { body: await trackDossier(path.code, query.key, deps) };
    const view = await trackDossierPage(path.code, query.key, deps);
    return {
      raw: {
        body: trackingPage(view, query.key, langOf(query.lang)),
        contentType: 'text/html; charset=utf-8',
      },
      headers: { ...trackingPageHeaders },
    };
  },
  {
    refusalPage: (error, { query }) => ({
      body: trackingRefusalPage(error.status, query.key, langOf(query.lang)),
      headers: { ...trackingPageHeaders },
    }),
  },
);
