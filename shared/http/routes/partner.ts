// Partner-agency routes, called with AWS SigV4 (IAM auth in the cloud).
import { partnerProfileSchema } from '../../schemas/catalogue';
import type { RouteDefinition } from '../route-types';

export const partnerRoutes = {
  getPartnerProfile: {
    id: 'getPartnerProfile',
    method: 'GET',
    path: '/v1/partner/profile',
    summary: 'The calling agency and the procedures whose routes include it',
    tags: ['partner'],
    auth: { kind: 'partner' },
    handler: 'functions/partner/get-partner-profile.ts',
    responses: {
      200: { description: 'The calling agency', schema: partnerProfileSchema },
    },
    uses: { catalogue: 'read' },
  },
} as const satisfies Record<string, RouteDefinition>;
