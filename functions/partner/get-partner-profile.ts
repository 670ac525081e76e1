import { catalogueRepository } from '../../shared/adapters/deps';
import { httpRoute } from '../../shared/http/middleware';
import * as partnerRoutes from '../../shared/http/routes/partner';
import { catalogueSnapshot } from '../../shared/usecases/catalogue/catalogue-snapshot';
import { partnerProfile } from '../../shared/usecases/catalogue/partner-profile';

const catalogue = catalogueRepository();
const snapshot = catalogueSnapshot(catalogue);

export const handler = httpRoute(partnerRoutes.getPartnerProfile, async ({ caller }) => ({
  body: await partnerProfile(caller.kind === 'agency' ? caller.agency : '', { catalogue, snapshot }),
}));
