// Partner-agency routes, called with AWS SigV4 (IAM auth in the cloud).

import { partnerProfileSchema } from '../../schemas/catalogue';
import { errorBodySchema } from '../../schemas/common';
import {
  decisionAnswerSchema,
  decisionSchema,
  taskDetailSchema,
  taskPageSchema,
  taskPathSchema,
  taskQuerySchema,
} from '../../schemas/tasks';
import type { RouteDefinition } from '../route-types';

const taskNotFound = {
  description: "`TASK_NOT_FOUND`: no such task, or another agency's",
  schema: errorBodySchema,
};

export const getPartnerProfile = {
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
} as const satisfies RouteDefinition;

export const listPartnerTasks = {
  id: 'listPartnerTasks',
  method: 'GET',
  path: '/v1/partner/tasks',
  summary: "The calling agency's tasks by due time (open by default), optionally of one procedure",
  tags: ['partner'],
  auth: { kind: 'partner' },
  handler: 'functions/partner/list-tasks.ts',
  request: { query: taskQuerySchema },
  responses: { 200: { description: 'A page of tasks, soonest due first', schema: taskPageSchema } },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;

export const getPartnerTask = {
  id: 'getPartnerTask',
  method: 'GET',
  path: '/v1/partner/tasks/{id}',
  summary:
    "One task with what the agency may see: the applicant, the answers, documents as 5-minute links, earlier agencies' decisions",
  tags: ['partner'],
  auth: { kind: 'partner' },
  handler: 'functions/partner/get-task.ts',
  request: { path: taskPathSchema },
  responses: { 200: { description: 'The task', schema: taskDetailSchema }, 404: taskNotFound },
  uses: { dossiers: 'read', documents: 'read' },
} as const satisfies RouteDefinition;

export const decidePartnerTask = {
  id: 'decidePartnerTask',
  method: 'POST',
  path: '/v1/partner/tasks/{id}/decision',
  summary:
    'Decide a task: approve, reject (reason), request a supplement (items), or forward it to another agency where its route allows; stored first, then the workflow is told (never of a forward)',
  tags: ['partner'],
  auth: { kind: 'partner' },
  handler: 'functions/partner/decide-task.ts',
  request: { path: taskPathSchema, body: decisionSchema, idempotent: true },
  responses: {
    200: { description: 'Decided', schema: decisionAnswerSchema },
    404: taskNotFound,
    409: {
      description: '`TASK_CLOSED`: already decided; `TASK_EXPIRED`: its route has ended',
      schema: errorBodySchema,
    },
    422: {
      description:
        '`FORWARD_NOT_ALLOWED`: the route allows this step no forward, or not to that agency (`details.allowed` lists those it does); `RESULT_UPLOAD_INVALID`: a result document is not a verified upload of the task; `IDEMPOTENCY_KEY_REUSED`: the key was used with another body',
      schema: errorBodySchema,
    },
  },
  uses: { dossiers: 'readwrite', idempotency: 'readwrite' },
  workflow: 'callback',
} as const satisfies RouteDefinition;
