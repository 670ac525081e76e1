// Per-environment settings of the CDK app, validated with zod so a typo stops synth instead of reaching AWS.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';

export const environmentNames = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof environmentNames)[number];

const agencyCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9.-]{1,39}$/, 'an electronic agency code such as 000.00.01.H26');
// Roles (not users) are the expected partner identity; users are accepted for agencies without federation.
const principalArn = z
  .string()
  .regex(/^arn:aws:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, 'an IAM role or user ARN');

export const partnerPrincipalSchema = z.object({ agency: agencyCode, principalArn });

export const environmentConfigSchema = z
  .object({
    name: z.enum(environmentNames),
    /** Undefined keeps the stacks account-agnostic; the CLI fills CDK_DEFAULT_ACCOUNT when credentials exist. */
    account: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit AWS account id')
      .optional(),
    region: z.literal('ap-southeast-1'),
    corsOrigins: z.array(z.url({ protocol: /^https?$/ })).min(1),
    publicBaseUrl: z.url({ protocol: /^https$/ }),
    throttling: z
      .object({
        rateLimit: z.number().int().positive(),
        burstLimit: z.number().int().positive(),
      })
      .refine((t) => t.burstLimit >= t.rateLimit, 'burstLimit must be at least rateLimit'),
    /** Requests per IP per 5-minute window before WAF blocks; AWS accepts 10 to 2,000,000,000. */
    wafRateLimitPer5MinPerIp: z.number().int().min(10).max(2_000_000_000),
    logRetention: z.enum(RetentionDays),
    accessLogExpirationDays: z.number().int().min(1),
    /** Prod keeps data when a stack or resource is deleted: RETAIN, deletion protection, termination protection. */
    retainData: z.boolean(),
    partnerPrincipals: z.array(partnerPrincipalSchema),
    alarmEmail: z.email().optional(),
    lambdaMemoryMb: z.number().int().min(128).max(10_240),
    lambdaTimeoutSeconds: z.number().int().min(1).max(29),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']),
    /** Alarm thresholds: API p99 latency in ms and 5XX responses per 5 minutes. */
    alarms: z.object({
      latencyP99Ms: z.number().int().positive(),
      serverErrorsPer5Min: z.number().int().min(1),
    }),
  })
  .superRefine((config, ctx) => {
    const arns = config.partnerPrincipals.map((p) => p.principalArn);
    if (new Set(arns).size !== arns.length) {
      ctx.addIssue({
        code: 'custom',
        message: 'each partner principal ARN may appear once',
        path: ['partnerPrincipals'],
      });
    }
    if (config.name === 'prod' && !config.retainData) {
      ctx.addIssue({ code: 'custom', message: 'prod must retain data', path: ['retainData'] });
    }
  });

export type EnvironmentConfig = z.infer<typeof environmentConfigSchema>;
export type PartnerPrincipal = z.infer<typeof partnerPrincipalSchema>;

const region = 'ap-southeast-1';

/*
 * Partner principals below are placeholders: account 111111111111 / 222222222222 / 333333333333 stand for the
 * partner agencies' AWS accounts and must be replaced with the real role ARNs before the first deploy of that
 * environment (a resource policy naming a principal that does not exist may be rejected on deploy).
 * Domains under example.vn are placeholders for the center's real domains.
 */
const rawConfigs: Record<EnvironmentName, z.input<typeof environmentConfigSchema>> = {
  dev: {
    name: 'dev',
    region,
    corsOrigins: ['http://localhost:5173', 'https://dev.motcua.example.vn'],
    publicBaseUrl: 'https://api.dev.motcua.example.vn',
    throttling: { rateLimit: 50, burstLimit: 100 },
    wafRateLimitPer5MinPerIp: 2_000,
    logRetention: RetentionDays.TWO_WEEKS,
    accessLogExpirationDays: 30,
    retainData: false,
    partnerPrincipals: [
      { agency: '000.00.13.H26', principalArn: 'arn:aws:iam::111111111111:role/motcua-partner-police' },
      {
        agency: '000.00.21.H26',
        principalArn: 'arn:aws:iam::111111111111:role/motcua-partner-social-insurance',
      },
    ],
    lambdaMemoryMb: 512,
    lambdaTimeoutSeconds: 10,
    logLevel: 'debug',
    alarms: { latencyP99Ms: 3_000, serverErrorsPer5Min: 10 },
  },
  staging: {
    name: 'staging',
    region,
    corsOrigins: ['https://staging.motcua.example.vn'],
    publicBaseUrl: 'https://api.staging.motcua.example.vn',
    throttling: { rateLimit: 200, burstLimit: 400 },
    wafRateLimitPer5MinPerIp: 2_000,
    logRetention: RetentionDays.ONE_MONTH,
    accessLogExpirationDays: 90,
    retainData: false,
    partnerPrincipals: [
      { agency: '000.00.13.H26', principalArn: 'arn:aws:iam::222222222222:role/motcua-partner-police' },
      {
        agency: '000.00.21.H26',
        principalArn: 'arn:aws:iam::222222222222:role/motcua-partner-social-insurance',
      },
    ],
    lambdaMemoryMb: 1_024,
    lambdaTimeoutSeconds: 10,
    logLevel: 'info',
    alarms: { latencyP99Ms: 2_000, serverErrorsPer5Min: 5 },
  },
  prod: {
    name: 'prod',
    region,
    corsOrigins: ['https://motcua.example.vn'],
    publicBaseUrl: 'https://api.motcua.example.vn',
    // Designed for 100x Hanoi's load (ARCHITECTURE.md): ~800k dossiers a day at peak hours.
    throttling: { rateLimit: 1_000, burstLimit: 2_000 },
    // Branch counters share one public IP per branch, so the per-IP limit must carry a whole office.
    wafRateLimitPer5MinPerIp: 3_000,
    // Security investigations and citizen complaints reach back about a year.
    logRetention: RetentionDays.ONE_YEAR,
    accessLogExpirationDays: 365,
    retainData: true,
    partnerPrincipals: [
      { agency: '000.00.13.H26', principalArn: 'arn:aws:iam::333333333333:role/motcua-partner-police' },
      {
        agency: '000.00.21.H26',
        principalArn: 'arn:aws:iam::333333333333:role/motcua-partner-social-insurance',
      },
    ],
    lambdaMemoryMb: 1_024,
    lambdaTimeoutSeconds: 10,
    logLevel: 'info',
    alarms: { latencyP99Ms: 1_500, serverErrorsPer5Min: 5 },
  },
};

/** A wrong environment name or setting: the CLI prints its message alone, without a stack trace. */
export class EnvironmentConfigError extends Error {
  override name = 'EnvironmentConfigError';
}

export function isEnvironmentName(value: unknown): value is EnvironmentName {
  return typeof value === 'string' && (environmentNames as readonly string[]).includes(value);
}

export function unknownEnvironmentMessage(value: unknown): string {
  const given =
    value === undefined || value === '' ? 'no environment' : `unknown environment "${String(value)}"`;
  return `motcua CDK app: ${given}; pass -c env=<name> with one of: ${environmentNames.join(', ')}`;
}

/**
 * The validated settings of one environment; stops with one message naming the valid environments
 * when the name is missing or unknown, and with zod's issues when a setting is wrong.
 */
export function loadEnvironment(
  name: unknown,
  overrides: Partial<z.input<typeof environmentConfigSchema>> = {},
): EnvironmentConfig {
  if (!isEnvironmentName(name)) throw new EnvironmentConfigError(unknownEnvironmentMessage(name));
  const result = environmentConfigSchema.safeParse({ ...rawConfigs[name], ...overrides });
  if (!result.success) {
    throw new EnvironmentConfigError(
      `motcua CDK app: invalid settings for "${name}":\n${z.prettifyError(result.error)}`,
    );
  }
  return result.data;
}

/** ARN → agency code, the shape functions read from PARTNER_PRINCIPALS (shared/config.ts). */
export function partnerPrincipalMap(config: EnvironmentConfig): Record<string, string> {
  return Object.fromEntries(config.partnerPrincipals.map((p) => [p.principalArn, p.agency]));
}
