// The statistics: Decision 766's service index, the daily trend and the branches compared (public aggregates, no
// personal data), and a unit's procedures for the staff who supervise it.
import { errorBodySchema } from '../../schemas/common';
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

// Each route lists these two by name: a spread would keep every stats route in every stats bundle
// (infra/schema-shaking.ts).
const badPeriod = {
  description: '`VALIDATION_FAILED`: a day is not YYYY-MM-DD, or `to` is before `from`',
  schema: errorBodySchema,
} as const;
const periodTooLong = {
  description: '`STATS_PERIOD_TOO_LONG`: more than 366 days',
  schema: errorBodySchema,
} as const;

export const getServiceIndex = {
  id: 'getServiceIndex',
  method: 'GET',
  path: '/v1/stats/index',
  summary:
    "Decision 766's service index of the center or a branch over a period: each group's indicators, their inputs and points, and what only the national portal can score",
  tags: ['supervision'],
  auth: { kind: 'public' },
  handler: 'functions/stats/get-service-index.ts',
  request: { query: statsQuerySchema },
  responses: {
    200: { description: 'The index', schema: serviceIndexSchema },
    400: badPeriod,
    422: periodTooLong,
  },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;

export const getDailyStats = {
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
    400: badPeriod,
    422: periodTooLong,
  },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;

export const getBranchStats = {
  id: 'getBranchStats',
  method: 'GET',
  path: '/v1/stats/branches',
  summary: "Every branch's counters and on-time rate over a period, side by side",
  tags: ['supervision'],
  auth: { kind: 'public' },
  handler: 'functions/stats/get-branch-stats.ts',
  request: { query: statsPeriodSchema },
  responses: {
    200: { description: 'One entry per branch', schema: branchStatsSchema },
    400: badPeriod,
    422: periodTooLong,
  },
  uses: { dossiers: 'read', catalogue: 'read' },
} as const satisfies RouteDefinition;

export const getProcedureStats = {
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
    400: badPeriod,
    422: periodTooLong,
    403: {
      description: '`OUT_OF_SCOPE`: another branch; `FORBIDDEN`: no supervision scope',
      schema: errorBodySchema,
    },
  },
  uses: { dossiers: 'read' },
} as const satisfies RouteDefinition;
