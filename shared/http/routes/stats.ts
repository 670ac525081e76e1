// The statistics: Decision 766's service index, the daily trend and the branches compared (public aggregates, no
// personal data), and a unit's procedures for the staff who supervise it.
import {
  branchStatsSchema,
  dailyStatsSchema,
  procedureStatsSchema,
  serviceIndexSchema,
  statsPeriodSchema,
  statsQuerySchema,
  statsUnitPathSchema,
} from '../../schemas/stats';
import type { RouteDefinition } from '../route-types';
import { errors } from './common';

const periodErrors = {
  400: {
    description: '`VALIDATION_FAILED`: a day is not YYYY-MM-DD, or `to` is before `from`',
    schema: errors[400].schema,
  },
  422: { description: '`STATS_PERIOD_TOO_LONG`: more than 366 days', schema: errors[422].schema },
} as const;

export const statsRoutes = {
  getServiceIndex: {
    id: 'getServiceIndex',
    method: 'GET',
    path: '/v1/stats/index',
    summary:
      "Decision 766's service index of the center or a branch over a period: each group's indicators, their inputs and points, and what only the national portal can score",
    tags: ['supervision'],
    auth: { kind: 'public' },
    handler: 'functions/stats/get-service-index.ts',
    request: { query: statsQuerySchema },
    responses: { 200: { description: 'The index', schema: serviceIndexSchema }, ...periodErrors },
    uses: { dossiers: 'read' },
  },
  getDailyStats: {
    id: 'getDailyStats',
    method: 'GET',
    path: '/v1/stats/daily',
    summary: "The center's or a branch's counters day by day: the trend the dashboard draws",
    tags: ['supervision'],
    auth: { kind: 'public' },
    handler: 'functions/stats/get-daily-stats.ts',
    request: { query: statsQuerySchema },
    responses: {
      200: { description: 'One entry per day of the period', schema: dailyStatsSchema },
      ...periodErrors,
    },
    uses: { dossiers: 'read' },
  },
  getBranchStats: {
    id: 'getBranchStats',
    method: 'GET',
    path: '/v1/stats/branches',
    summary: "Every branch's counters and on-time rate over a period, side by side",
    tags: ['supervision'],
    auth: { kind: 'public' },
    handler: 'functions/stats/get-branch-stats.ts',
    request: { query: statsPeriodSchema },
    responses: { 200: { description: 'One entry per branch', schema: branchStatsSchema }, ...periodErrors },
    uses: { dossiers: 'read', catalogue: 'read' },
  },
  getProcedureStats: {
    id: 'getProcedureStats',
    method: 'GET',
    path: '/v1/stats/units/{unit}/procedures',
    summary: "A unit's counters by procedure and channel: its own staff, or the center's supervisors",
    tags: ['supervision'],
    auth: { kind: 'staff', roles: ['officer', 'supervisor', 'admin'] },
    handler: 'functions/stats/get-procedure-stats.ts',
    request: { path: statsUnitPathSchema, query: statsPeriodSchema },
    responses: {
      200: {
        description: 'One entry per procedure and channel, busiest first',
        schema: procedureStatsSchema,
      },
      ...periodErrors,
      403: {
        description: '`OUT_OF_SCOPE`: another branch; `FORBIDDEN`: no supervision scope',
        schema: errors[403].schema,
      },
    },
    uses: { dossiers: 'read' },
  },
} as const satisfies Record<string, RouteDefinition>;
