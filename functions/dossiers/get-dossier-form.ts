// The only handler that bundles the PDF renderer: a form is rendered here on first download, then served as stored.
import { formDeps } from '../../shared/adapters/dossier-deps';
import { pdfForms } from '../../shared/adapters/pdf-forms';
import { httpRoute } from '../../shared/http/middleware';
import * as dossierRoutes from '../../shared/http/routes/dossiers';
import { getForm } from '../../shared/usecases/dossiers/get-form';

const deps = formDeps(pdfForms);

export const handler = httpRoute(dossierRoutes.getDossierForm, async ({ path, caller }) => {
  const pdf = await getForm({ code: path.code, form: path.form, caller }, deps);
  return {
    raw: { body: Buffer.from(pdf).toString('base64'), contentType: 'application/pdf', base64: true },
    headers: { 'content-disposition': `inline; filename="${path.code}-mau-${path.form}.pdf"` },
  };
});
