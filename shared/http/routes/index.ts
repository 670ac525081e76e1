// The route table: the single declaration read by the CDK API stack, the local gateway and the OpenAPI generator.
import type { RouteDefinition } from '../route-types';
import { catalogueRoutes } from './catalogue';
import { documentRoutes } from './documents';
import { dossierRoutes } from './dossiers';
import { partnerRoutes } from './partner';
import { paymentReportRoutes } from './payment-reports';
import { paymentRoutes } from './payments';
import { platformRoutes } from './platform';
import { radarRoutes } from './radar';
import { receiptRoutes } from './receipts';
import { registerRoutes } from './register';
import { resultRoutes } from './results';
import { sharingRoutes } from './sharing';
import { statsRoutes } from './stats';

export const routes = {
  ...platformRoutes,
  ...catalogueRoutes,
  ...dossierRoutes,
  ...documentRoutes,
  ...partnerRoutes,
  ...paymentRoutes,
  ...paymentReportRoutes,
  ...receiptRoutes,
  ...registerRoutes,
  ...resultRoutes,
  ...sharingRoutes,
  ...statsRoutes,
  ...radarRoutes,
};

export const routeList: readonly RouteDefinition[] = Object.values(routes);
