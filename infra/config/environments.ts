// Per-environment settings of the CDK app, validated with zod so a typo stops synth instead of reaching AWS.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { centerReceiptBook, parseCollectorBook } from '../../shared/domain/issued-receipts';
import * as z from '../../shared/schemas/zod';

export const environmentNames = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof environmentNames)[number];

const accountId = z.string().check(z.regex(/^\d{12}$/, 'a 12-digit AWS account id'));

/** Environments that deploy only into the account they name (dev stays account-agnostic). */
export const pinnedAccountEnvironments = ['staging', 'prod'] as const;

export const environmentConfigSchema = z
  .object({
    name: z.enum(environmentNames),
    /**
     * The one account this environment deploys into (required for staging and prod: synth with other credentials
     * stops). Undefined (dev) keeps the stacks account-agnostic; the CLI fills CDK_DEFAULT_ACCOUNT then.
     */
    account: z.optional(accountId),
    region: z.literal('ap-southeast-1'),
    corsOrigins: z.array(z.url({ protocol: /^https?$/ })).check(z.minLength(1)),
    publicBaseUrl: z.url({ protocol: /^https$/ }),
    throttling: z
      .object({
        rateLimit: z.number().check(z.int(), z.positive()),
        burstLimit: z.number().check(z.int(), z.positive()),
      })
      .check(z.refine((t) => t.burstLimit >= t.rateLimit, 'burstLimit must be at least rateLimit')),
    /** Requests per IP per 5-minute window before WAF blocks; AWS accepts 10 to 2,000,000,000. */
    wafRateLimitPer5MinPerIp: z.number().check(z.int(), z.minimum(10), z.maximum(2_000_000_000)),
    logRetention: z.enum(RetentionDays),
    accessLogExpirationDays: z.number().check(z.int(), z.minimum(1)),
    /** Prod keeps data when a stack or resource is deleted: RETAIN, deletion protection, termination protection. */
    retainData: z.boolean(),
    /**
     * AWS Backup of every table (stateful stack): a daily recovery point kept 35 days and a monthly one kept a year, in
     * a vault whose lock keeps each point its minimum retention. Point-in-time recovery (35 days) is on everywhere.
     */
    backupTables: z.boolean(),
    /**
     * AWS accounts whose IAM principals may call partner routes at all (the API's resource policy, which grows with
     * accounts, not agencies). Which agency a principal acts for is data, not configuration: registry items in the
     * catalogue table (shared/adapters/dynamo/partner-registry.ts), so registering an agency needs no deploy.
     */
    partnerAccounts: z.array(accountId),
    alarmEmail: z.optional(z.email()),
    /**
     * The supervisors' dashboard (infra/stacks/dashboard-stack.ts): its host name on CloudFront, the ACM certificate for
     * it (CloudFront takes certificates from us-east-1 only), and the prefix of the Cognito sign-in domain
     * (<prefix>.auth.<region>.amazoncognito.com). `corsOrigins` must list https://<domainName> for it to call the API.
     */
    dashboard: z.object({
      domainName: z.string().check(z.regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a host name')),
      certificateArn: z
        .string()
        .check(
          z.regex(
            /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/,
            'an ACM certificate ARN in us-east-1',
          ),
        ),
      authDomainPrefix: z
        .string()
        .check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'a Cognito domain prefix')),
    }),
    lambdaMemoryMb: z.number().check(z.int(), z.minimum(128), z.maximum(10_240)),
    lambdaTimeoutSeconds: z.number().check(z.int(), z.minimum(1), z.maximum(29)),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']),
    /**
     * Alarm thresholds: API p99 latency in ms, and 5XX answers per 5 minutes, both of the whole API (API Gateway's
     * 5XXError, which also counts timeouts and crashes) and of each function (its handled ServerErrors metric); and
     * agency steps that went past their due time within one hour (overdue growth, beyond the single-step alarm).
     */
    alarms: z.object({
      latencyP99Ms: z.number().check(z.int(), z.positive()),
      serverErrorsPer5Min: z.number().check(z.int(), z.minimum(1)),
      overdueStepsPerHour: z.number().check(z.int(), z.minimum(1)),
    }),
    /**
     * The applicants' messages: the verified SES identity (a domain), its From address, and the SMS sender id; and the
     * supervisors' mailbox, which hears of every step past its due time (sent from the same address).
     */
    /**
     * The e-receipt book the center registered with the tax authority (Decree 123/2020 as amended by Decree 70/2025):
     * template symbol, the series' two letters, and the collector's tax code (10 digits with its check digit).
     */
    receipts: z
      .object({ templateSymbol: z.string(), seriesLetters: z.string(), collectorTaxCode: z.string() })
      .check(
        z.superRefine((book, ctx) => {
          try {
            parseCollectorBook(book);
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: (error as Error).message });
          }
        }),
      ),
    notifications: z
      .object({
        emailIdentity: z.string().check(z.regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a domain verified in SES')),
        emailFrom: z.email(),
        smsSenderId: z
          .string()
          .check(z.regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, '1-11 letters and digits')),
        supervisorsEmail: z.email(),
      })
      .check(
        z.refine(
          (n) => n.emailFrom.endsWith(`@${n.emailIdentity}`),
          'emailFrom must be an address of emailIdentity',
        ),
      ),
  })
  .check(
    z.superRefine((config, ctx) => {
      if (new Set(config.partnerAccounts).size !== config.partnerAccounts.length) {
        ctx.addIssue({
          code: 'custom',
          message: 'each partner account may appear once',
          path: ['partnerAccounts'],
        });
      }
      if ((pinnedAccountEnvironments as readonly string[]).includes(config.name) && !config.account) {
        ctx.addIssue({ code: 'custom', message: `${config.name} must name its account`, path: ['account'] });
      }
      if (!config.corsOrigins.includes(`https://${config.dashboard.domainName}`)) {
        ctx.addIssue({
          code: 'custom',
          message: `corsOrigins must list the dashboard, https://${config.dashboard.domainName}`,
          path: ['corsOrigins'],
        });
      }
      if (config.name === 'prod' && !config.retainData) {
        ctx.addIssue({ code: 'custom', message: 'prod must retain data', path: ['retainData'] });
      }
      if (config.name === 'prod' && !config.backupTables) {
        ctx.addIssue({ code: 'custom', message: 'prod must back up its tables', path: ['backupTables'] });
      }
    }),
  );

export type EnvironmentConfig = z.infer<typeof environmentConfigSchema>;

const region = 'ap-southeast-1';

/*
 * Placeholders to replace before the first deploy of an environment: accounts 111111111111 / 222222222222 /
 * 333333333333 stand for the partner agencies' AWS accounts, 444444444444 and 555555555555 for the center's staging
 * and prod accounts. Domains under example.vn stand for the center's domains; the dashboard's certificate ids (00000000-…)
 * for the certificates to issue in us-east-1 (000000000000: dev's account) before an environment's first deploy. The
 * receipt book's tax code is a placeholder too (PLACEHOLDER_COLLECTOR_TAX_CODE): prod's synth warns until it is the
 * center's registered one.
 */
const rawConfigs: Record<EnvironmentName, z.input<typeof environmentConfigSchema>> = {
  dev: {
    name: 'dev',
    region,
    corsOrigins: [
      'http://localhost:5173',
      'https://dev.motcua.example.vn',
      'https://giamsat.dev.motcua.example.vn',
    ],
    publicBaseUrl: 'https://api.dev.motcua.example.vn',
    throttling: { rateLimit: 50, burstLimit: 100 },
    wafRateLimitPer5MinPerIp: 2_000,
    logRetention: RetentionDays.TWO_WEEKS,
    accessLogExpirationDays: 30,
    retainData: false,
    backupTables: false,
    partnerAccounts: ['111111111111'],
    lambdaMemoryMb: 512,
    lambdaTimeoutSeconds: 10,
    logLevel: 'debug',
    alarms: { latencyP99Ms: 3_000, serverErrorsPer5Min: 10, overdueStepsPerHour: 10 },
    receipts: centerReceiptBook,
    notifications: {
      emailIdentity: 'dev.motcua.example.vn',
      emailFrom: 'thongbao@dev.motcua.example.vn',
      smsSenderId: 'HCCHANOI',
      supervisorsEmail: 'giamsat@dev.motcua.example.vn',
    },
    dashboard: {
      domainName: 'giamsat.dev.motcua.example.vn',
      certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000000',
      authDomainPrefix: 'motcua-dev-giamsat',
    },
  },
  staging: {
    name: 'staging',
    account: '444444444444',
    region,
    corsOrigins: ['https://staging.motcua.example.vn', 'https://giamsat.staging.motcua.example.vn'],
    publicBaseUrl: 'https://api.staging.motcua.example.vn',
    throttling: { rateLimit: 200, burstLimit: 400 },
    wafRateLimitPer5MinPerIp: 2_000,
    logRetention: RetentionDays.ONE_MONTH,
    accessLogExpirationDays: 90,
    retainData: false,
    backupTables: false,
    partnerAccounts: ['222222222222'],
    lambdaMemoryMb: 1_024,
    lambdaTimeoutSeconds: 10,
    logLevel: 'info',
    alarms: { latencyP99Ms: 2_000, serverErrorsPer5Min: 5, overdueStepsPerHour: 10 },
    receipts: centerReceiptBook,
    notifications: {
      emailIdentity: 'staging.motcua.example.vn',
      emailFrom: 'thongbao@staging.motcua.example.vn',
      smsSenderId: 'HCCHANOI',
      supervisorsEmail: 'giamsat@staging.motcua.example.vn',
    },
    dashboard: {
      domainName: 'giamsat.staging.motcua.example.vn',
      certificateArn: 'arn:aws:acm:us-east-1:444444444444:certificate/00000000-0000-4000-8000-000000000000',
      authDomainPrefix: 'motcua-staging-giamsat',
    },
  },
  prod: {
    name: 'prod',
    account: '555555555555',
    region,
    corsOrigins: ['https://motcua.example.vn', 'https://giamsat.motcua.example.vn'],
    publicBaseUrl: 'https://api.motcua.example.vn',
    // Designed for 100x Hanoi's load (ARCHITECTURE.md): ~800k dossiers a day at peak hours.
    throttling: { rateLimit: 1_000, burstLimit: 2_000 },
    // Branch counters share one public IP per branch, so the per-IP limit must carry a whole office.
    wafRateLimitPer5MinPerIp: 3_000,
    // Security investigations and citizen complaints reach back about a year.
    logRetention: RetentionDays.ONE_YEAR,
    accessLogExpirationDays: 365,
    retainData: true,
    backupTables: true,
    partnerAccounts: ['333333333333'],
    lambdaMemoryMb: 1_024,
    lambdaTimeoutSeconds: 10,
    logLevel: 'info',
    // Overdue growth: a Hanoi day has some thousands of dossiers; 50 steps late within one hour is no longer one slow
    // officer but an agency or an integration stalled (tune it from the dashboard's "Overdue steps per hour").
    alarms: { latencyP99Ms: 1_500, serverErrorsPer5Min: 5, overdueStepsPerHour: 50 },
    receipts: centerReceiptBook,
    notifications: {
      emailIdentity: 'motcua.example.vn',
      emailFrom: 'thongbao@motcua.example.vn',
      smsSenderId: 'HCCHANOI',
      supervisorsEmail: 'giamsat@motcua.example.vn',
    },
    dashboard: {
      domainName: 'giamsat.motcua.example.vn',
      certificateArn: 'arn:aws:acm:us-east-1:555555555555:certificate/00000000-0000-4000-8000-000000000000',
      authDomainPrefix: 'motcua-prod-giamsat',
    },
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

/**
 * Stops a synth (and so a deploy) of an environment pinned to an account when the credentials are for another one.
 * `credentialsAccount` is the account of the credentials the CLI found (it sets CDK_DEFAULT_ACCOUNT when it has
 * credentials). No credentials passes: an offline synth (CI, `npm run synth:all`) cannot deploy anything, and the
 * pinned `env.account` of the stacks makes the CLI look for that account's credentials before any deploy. An
 * environment that names no account (dev) deploys wherever the credentials point.
 */
export function assertDeployAccount(config: EnvironmentConfig, credentialsAccount: string | undefined): void {
  if (!config.account || !credentialsAccount || credentialsAccount === config.account) return;
  throw new EnvironmentConfigError(
    `motcua-${config.name} deploys only into account ${config.account}, but the credentials are for account ` +
      `${credentialsAccount}: use credentials for ${config.account} (e.g. AWS_PROFILE) or choose another -c env`,
  );
}
