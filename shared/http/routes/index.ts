// The route table: the single declaration read by the CDK API stack, the local gateway and the OpenAPI generator.
import type { RouteDefinition } from '../route-types';
import * as catalogueRoutes from './catalogue';
import * as documentRoutes from './documents';
import * as dossierRoutes from './dossiers';
import * as partnerRoutes from './partner';
import * as paymentReportRoutes from './payment-reports';
import * as paymentRoutes from './payments';
import * as platformRoutes from './platform';
import * as radarRoutes from './radar';
import * as receiptRoutes from './receipts';
import * as registerRoutes from './register';
import * as resultRoutes from './results';
import * as sharingRoutes from './sharing';
import * as statsRoutes from './stats';

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
