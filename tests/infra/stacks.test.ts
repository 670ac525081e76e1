import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { gatewayAuthOf, methodArnPattern } from '../../infra/api/route-mapping';
import { environmentNames } from '../../infra/config/environments';
import {
  bucketObjectActions,
  type DataGrant,
  probeActions,
  tableActions,
} from '../../infra/constructs/grants';
import {
  edgeGrants,
  grantsFor,
  type NarrowedUses,
  publicCataloguePartitions,
  routeGrants,
} from '../../infra/least-privilege';
import { iteratorAgeAlarmMs } from '../../infra/stacks/monitoring-stack';
import { customAttributes, userGroups } from '../../infra/stacks/stateful-stack';
import { buckets, tables } from '../../shared/data/resources';
import { consumerList } from '../../shared/events/consumers';
import { gatewayAnswers } from '../../shared/http/gateway-responses';
import { routeList, routes } from '../../shared/http/routes';
import { scheduleList } from '../../shared/schedules';
import { collectAcknowledgements, type SynthedEnv, synthForBlock } from './support';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const logicalId = (construct: IConstruct) => {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return element.stack.getLogicalId(element);
};
const resourceOf = (template: Template, construct: IConstruct) =>
  (template.toJSON().Resources as Record<string, Resource>)[logicalId(construct)] as Resource;
const asArray = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);
/** Every action the statements allow on exactly this resource (statements may be merged by minimizePolicies). */
function actionsOn(statements: Statement[], resource: string, prefix: string): string[] {
  const actions = statements
    .filter((s) => s.Effect === 'Allow' && asArray(s.Resource).some((r) => JSON.stringify(r) === resource))
    .flatMap((s) => asArray(s.Action))
    .filter((a) => a.startsWith(prefix));
  return [...new Set(actions)].sort();
}
const gatewayAuthorizationType = {
  NONE: 'NONE',
  COGNITO_USER_POOLS: 'COGNITO_USER_POOLS',
  AWS_IAM: 'AWS_IAM',
};

describe.each(environmentNames)('the %s environment', (envName) => {
  let env: SynthedEnv;
  synthForBlock(envName, (synthed) => {
    env = synthed;
  });

  /** The statements of the data-access policy of a route's function (none when it uses nothing). */
  function dataStatements(routeId: string): Statement[] {
    const fn = env.api.functions.get(routeId);
    const policy = fn?.node.tryFindChild('DataAccess');
    if (!policy) return [];
    const doc = resourceOf(env.templateOf(policy), policy).Properties.PolicyDocument as {
      Statement: Statement[];
    };
    return doc.Statement;
  }
  /** A token as the template of a route's function renders it (a cross-stack reference, in its nested stack). */
  const resolvedFor = (routeId: string, token: string) =>
    JSON.stringify(Stack.of(env.api.functions.get(routeId) as IConstruct).resolve(token));
  /** The API's templates: the REST API's own and one per bounded context (nested stacks). */
  const apiTemplates = () =>
    [...env.allTemplates()]
      .filter(([path]) => path.startsWith(env.api.node.path))
      .map(([, template]) => template);
  const apiResources = (type: string) => apiTemplates().flatMap((t) => Object.values(t.findResources(type)));
  /** What a route's function is granted per resource: declared, narrowed (least-privilege.ts), plus its edge's. */
  const grantsOf = (route: (typeof routeList)[number]) =>
    new Map(
      grantsFor(
        route.id,
        route.uses,
        (routeGrants as Record<string, NarrowedUses>)[route.id],
        edgeGrants(route),
      ),
    );

  describe('stateful stack', () => {
    it('declares every table of resources.ts with its keys, indexes, TTL and on-demand billing', () => {
      for (const definition of Object.values(tables)) {
        const table = resourceOf(env.templates.stateful, env.stateful.tables[definition.id].table);
        const keys = [definition.partitionKey, definition.sortKey].filter((k) => k !== undefined);
        expect(table.Properties, definition.id).toMatchObject({
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
        });
        const indexes = (table.Properties.GlobalSecondaryIndexes ?? []) as {
          IndexName: string;
          KeySchema: unknown;
        }[];
        expect(
          indexes.map((i) => i.IndexName),
          definition.id,
        ).toEqual(definition.indexes.map((i) => i.name));
        for (const index of definition.indexes) {
          const found = indexes.find((i) => i.IndexName === index.name);
          const indexKeys = [index.partitionKey, index.sortKey].filter((k) => k !== undefined);
          expect(found?.KeySchema).toEqual(
            indexKeys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
          );
        }
        if (definition.ttlAttribute) {
          expect(table.Properties.TimeToLiveSpecification).toEqual({
            AttributeName: definition.ttlAttribute,
            Enabled: true,
          });
        } else {
          expect(table.Properties.TimeToLiveSpecification, definition.id).toBeUndefined();
        }
      }
    });

    it('encrypts every table with a customer-managed key and keeps point-in-time recovery on', () => {
      const all = env.templates.stateful.findResources('AWS::DynamoDB::Table');
      expect(Object.keys(all)).toHaveLength(Object.keys(tables).length);
      for (const [id, table] of Object.entries(all)) {
        expect(table.Properties.SSESpecification, id).toEqual({
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
        });
        expect(table.Properties.PointInTimeRecoverySpecification, id).toEqual({
          PointInTimeRecoveryEnabled: true,
        });
      }
    });

    it(
      envName === 'prod'
        ? 'protects every table from deletion and retains it'
        : 'lets tables be deleted with the stack',
      () => {
        for (const [id, table] of Object.entries(
          env.templates.stateful.findResources('AWS::DynamoDB::Table'),
        )) {
          if (envName === 'prod') {
            expect(table.Properties.DeletionProtectionEnabled, id).toBe(true);
            expect(table.DeletionPolicy, id).toBe('Retain');
            expect(table.UpdateReplacePolicy, id).toBe('Retain');
          } else {
            expect(table.Properties.DeletionProtectionEnabled ?? false, id).toBe(false);
            expect(table.DeletionPolicy, id).toBe('Delete');
          }
        }
      },
    );

    it('rotates every customer-managed key', () => {
      for (const template of [env.templates.stateful, env.templates.monitoring]) {
        const keys = template.findResources('AWS::KMS::Key');
        expect(Object.keys(keys).length).toBeGreaterThan(0);
        for (const key of Object.values(keys)) expect(key.Properties.EnableKeyRotation).toBe(true);
      }
    });

    it('keeps every declared bucket private, versioned, KMS-encrypted, TLS-only and access-logged', () => {
      const logBucketId = logicalId(env.stateful.accessLogsBucket);
      for (const definition of Object.values(buckets)) {
        const { bucket } = env.stateful.buckets[definition.id];
        const props = resourceOf(env.templates.stateful, bucket).Properties;
        expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(props.BucketEncryption).toEqual({
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: env.stateful.resolve(env.stateful.buckets[definition.id].key.keyArn),
              },
            },
          ],
        });
        expect(props.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(props.LoggingConfiguration).toEqual({
          DestinationBucketName: { Ref: logBucketId },
          LogFilePrefix: `${definition.id}/`,
        });
        expectTlsOnly(env.templates.stateful, bucket as Bucket);
      }
    });

    it('moves objects to cheaper storage, aborts stale multipart uploads and expires unverified uploads', () => {
      for (const definition of Object.values(buckets)) {
        const props = resourceOf(
          env.templates.stateful,
          env.stateful.buckets[definition.id].bucket,
        ).Properties;
        const transitions = [
          { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
          { StorageClass: 'GLACIER_IR', TransitionInDays: 180 },
        ];
        expect(props.LifecycleConfiguration).toEqual({
          Rules: [
            expect.objectContaining({
              Status: 'Enabled',
              Transitions: transitions,
              NoncurrentVersionTransitions: transitions,
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            }),
            ...(definition.transientPrefixes ?? []).map((transient) =>
              expect.objectContaining({
                Status: 'Enabled',
                Prefix: transient.prefix,
                ExpirationInDays: transient.expireAfterDays,
                NoncurrentVersionExpiration: { NoncurrentDays: 1 },
              }),
            ),
          ],
        });
      }
    });

    it('allows browser PUT uploads from the configured origins only where declared', () => {
      for (const definition of Object.values(buckets)) {
        const props = resourceOf(
          env.templates.stateful,
          env.stateful.buckets[definition.id].bucket,
        ).Properties;
        if (!definition.browserUploads) {
          expect(props.CorsConfiguration).toBeUndefined();
          continue;
        }
        expect(props.CorsConfiguration).toEqual({
          CorsRules: [
            expect.objectContaining({
              AllowedMethods: ['PUT'],
              AllowedOrigins: env.config.corsOrigins,
              AllowedHeaders: ['content-type', 'content-length', 'x-amz-checksum-sha256'],
            }),
          ],
        });
      }
    });

    it('keeps access logs in a separate SSE-S3, versioned, TLS-only bucket that expires them', () => {
      const props = resourceOf(env.templates.stateful, env.stateful.accessLogsBucket).Properties;
      expect(props.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(props.LifecycleConfiguration).toEqual({
        Rules: [expect.objectContaining({ ExpirationInDays: env.config.accessLogExpirationDays })],
      });
      expectTlsOnly(env.templates.stateful, env.stateful.accessLogsBucket);
    });

    it('requires a name on every account and keeps OAuth off until a hosted UI exists', () => {
      const pool = env.templates.stateful.findResources('AWS::Cognito::UserPool');
      const schema =
        (Object.values(pool)[0]!.Properties.Schema as { Name: string; Required?: boolean }[]) ?? [];
      expect(schema.find((attribute) => attribute.Name === 'name')?.Required).toBe(true);
      const client = Object.values(env.templates.stateful.findResources('AWS::Cognito::UserPoolClient'))[0]!;
      expect(client.Properties.AllowedOAuthFlows).toBeUndefined();
      expect(client.Properties.CallbackURLs).toBeUndefined();
    });

    it('runs a user pool with MFA, threat protection, the groups and the custom attributes the API relies on', () => {
      const pool = resourceOf(env.templates.stateful, env.stateful.userPool).Properties;
      expect(pool).toMatchObject({
        MfaConfiguration: 'ON',
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        Policies: { PasswordPolicy: expect.objectContaining({ MinimumLength: 12, RequireSymbols: true }) },
      });
      const schema = pool.Schema as { Name: string }[];
      for (const name of customAttributes) expect(schema.map((s) => s.Name)).toContain(name);
      const groups = env.templates.stateful.findResources('AWS::Cognito::UserPoolGroup');
      expect(Object.values(groups).map((g) => g.Properties.GroupName)).toEqual([...userGroups]);
      // Users must not be able to change the attributes that scope what they may touch.
      const client = env.templates.stateful.findResources('AWS::Cognito::UserPoolClient');
      const writable = Object.values(client)[0]?.Properties.WriteAttributes as string[];
      for (const name of customAttributes) expect(writable).not.toContain(`custom:${name}`);
    });
  });

  describe('api stack', () => {
    it('gives every route exactly one function, in the nested stack of its context', () => {
      expect([...env.api.functions.keys()].sort()).toEqual(routeList.map((r) => r.id).sort());
      expect(apiResources('AWS::Lambda::Function')).toHaveLength(routeList.length);
      env.templates.api.resourceCountIs('AWS::Lambda::Function', 0);
      for (const route of routeList) {
        const context = route.handler.split('/')[1] as string;
        expect(Stack.of(env.api.functions.get(route.id) as IConstruct), route.id).toBe(
          env.api.contexts.get(context),
        );
      }
    });

    it('runs every function on Node.js 24, arm64, with active tracing and its own log group', () => {
      for (const [id, fn] of apiResources('AWS::Lambda::Function').entries()) {
        expect(fn.Properties, String(id)).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        });
      }
    });

    it('sets the configured retention on every log group', () => {
      const groups = apiResources('AWS::Logs::LogGroup');
      // One per function, the stage's access logs, API Gateway's execution logs and the WAF's logs.
      expect(groups.length).toBe(routeList.length + 3);
      for (const group of groups) expect(group.Properties.RetentionInDays).toBe(env.config.logRetention);
    });

    it('gives each route method the authorization its auth kind calls for', () => {
      for (const route of routeList) {
        const method = env.api.methods.get(route.id);
        expect(method, route.id).toBeDefined();
        const props = resourceOf(env.templateOf(method as IConstruct), method as IConstruct).Properties;
        const expected = gatewayAuthorizationType[gatewayAuthOf(route)];
        expect(props.HttpMethod, route.id).toBe(route.method);
        expect(props.AuthorizationType, route.id).toBe(expected);
        if (expected === 'COGNITO_USER_POOLS') expect(props.AuthorizerId, route.id).toBeDefined();
        else expect(props.AuthorizerId, route.id).toBeUndefined();
      }
    });

    it('grants each function exactly the table actions of its grant, on those tables only', () => {
      const expected = (grant: DataGrant) =>
        grant === 'probe'
          ? [...probeActions.table]
          : typeof grant === 'string'
            ? [...tableActions[grant as 'read' | 'readwrite']]
            : [
                ...(('actions' in grant && grant.actions) ||
                  tableActions[(grant as { access: 'read' }).access]),
              ].sort();
      for (const route of routeList) {
        const statements = dataStatements(route.id);
        const grants = grantsOf(route);
        for (const id of Object.keys(tables) as (keyof typeof tables)[]) {
          const arn = resolvedFor(route.id, env.stateful.tables[id].table.tableArn);
          const grant = grants.get(id);
          if (grant === undefined) {
            expect(JSON.stringify(statements), `${route.id} must not reach ${id}`).not.toContain(arn);
          } else {
            expect(actionsOn(statements, arn, 'dynamodb:'), `${route.id} → ${id}`).toEqual(expected(grant));
          }
        }
      }
    });

    it('lets the search function read only the public catalogue partitions, and touch no dossier', () => {
      const statements = dataStatements(routes.searchProcedures.id);
      const catalogueArn = resolvedFor(
        routes.searchProcedures.id,
        env.stateful.tables.catalogue.table.tableArn,
      );
      const dossiersArn = resolvedFor(
        routes.searchProcedures.id,
        env.stateful.tables.dossiers.table.tableArn,
      );
      const dynamo = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo).toEqual([
        {
          Effect: 'Allow',
          Action: [...tableActions.read],
          Resource: JSON.parse(catalogueArn),
          Condition: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...publicCataloguePartitions] },
          },
        },
      ]);
      expect(JSON.stringify(statements)).not.toContain(dossiersArn);
    });

    it('lets the publish function write the catalogue and the idempotency records', () => {
      const statements = dataStatements(routes.publishProcedure.id);
      for (const id of ['catalogue', 'idempotency'] as const) {
        const arn = resolvedFor(routes.publishProcedure.id, env.stateful.tables[id].table.tableArn);
        expect(actionsOn(statements, arn, 'dynamodb:'), id).toEqual(
          expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
        );
      }
    });

    it('grants bucket object actions only to routes that declare the bucket, within the declared access', () => {
      for (const route of routeList) {
        const statements = dataStatements(route.id);
        for (const definition of Object.values(buckets)) {
          const access = route.uses[definition.id];
          const bucketArn = resolvedFor(route.id, env.stateful.buckets[definition.id].bucket.bucketArn);
          if (!access) {
            expect(JSON.stringify(statements), route.id).not.toContain(bucketArn);
            continue;
          }
          const objectActions = statements
            .filter((s) => asArray(s.Action).some((a) => a.startsWith('s3:') && a.endsWith('Object')))
            .flatMap((s) => asArray(s.Action));
          for (const action of objectActions) expect(bucketObjectActions[access], route.id).toContain(action);
        }
      }
    });

    it('sets the shared settings and exactly the declared resources as environment variables', () => {
      const resourceVars = [...Object.values(tables), ...Object.values(buckets)];
      for (const route of routeList) {
        const fn = env.api.functions.get(route.id)?.function as IConstruct;
        const vars = (
          resourceOf(env.templateOf(fn), fn).Properties.Environment as { Variables: Record<string, unknown> }
        ).Variables;
        expect(vars, route.id).toMatchObject({
          STAGE: envName,
          CORS_ORIGINS: env.config.corsOrigins.join(','),
          PUBLIC_BASE_URL: env.config.publicBaseUrl,
          LOG_LEVEL: env.config.logLevel,
          APP_VERSION: 'test-version',
        });
        // No node flags: --enable-source-maps would parse the bundle's map at every cold start.
        expect(vars.NODE_OPTIONS, route.id).toBeUndefined();
        // Who a partner principal acts for is registry data, never an environment variable.
        expect(
          Object.keys(vars).filter((name) => name.startsWith('PARTNER')),
          route.id,
        ).toEqual([]);
        const granted = grantsOf(route);
        const declared = resourceVars.filter((d) => granted.has(d.id)).map((d) => d.envVar);
        const present = resourceVars.map((d) => d.envVar).filter((name) => name in vars);
        expect(present.sort(), route.id).toEqual(declared.sort());
        for (const definition of Object.values(tables).filter((d) => granted.has(d.id))) {
          expect(JSON.stringify(vars[definition.envVar])).toBe(
            resolvedFor(route.id, env.stateful.tables[definition.id].table.tableName),
          );
        }
      }
    });

    it('throttles the stage, traces it, and writes JSON access logs', () => {
      const stage = env.templates.api.findResources('AWS::ApiGateway::Stage');
      const props = Object.values(stage)[0]?.Properties;
      expect(props).toMatchObject({
        StageName: envName,
        TracingEnabled: true,
        MethodSettings: [
          expect.objectContaining({
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: env.config.throttling.rateLimit,
            ThrottlingBurstLimit: env.config.throttling.burstLimit,
            DataTraceEnabled: false,
          }),
        ],
      });
      const format = JSON.parse(props?.AccessLogSetting.Format as string);
      expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
      expect(props?.AccessLogSetting.DestinationArn).toBeDefined();
    });

    it('puts a WAF with a per-IP rate rule and the AWS common rule set in front of the stage', () => {
      env.templates.api.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        Rules: Match.arrayWith([
          Match.objectLike({
            Statement: {
              RateBasedStatement: {
                Limit: env.config.wafRateLimitPer5MinPerIp,
                AggregateKeyType: 'IP',
                EvaluationWindowSec: 300,
              },
            },
            Action: {
              Block: {
                CustomResponse: Match.objectLike({
                  ResponseCode: 429,
                  CustomResponseBodyKey: 'throttled',
                  ResponseHeaders: Match.arrayWith([
                    Match.objectLike({ Name: 'access-control-allow-origin' }),
                  ]),
                }),
              },
            },
          }),
          Match.objectLike({
            Statement: {
              ManagedRuleGroupStatement: Match.objectLike({
                VendorName: 'AWS',
                Name: 'AWSManagedRulesCommonRuleSet',
              }),
            },
          }),
        ]),
      });
      env.templates.api.hasResourceProperties('AWS::WAFv2::WebACL', {
        CustomResponseBodies: {
          throttled: {
            ContentType: 'APPLICATION_JSON',
            Content: Match.stringLikeRegexp('"code":"THROTTLED"'),
          },
        },
      });
      env.templates.api.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      env.templates.api.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        WebACLArn: { 'Fn::GetAtt': [logicalId(env.api.webAcl), 'Arn'] },
      });
    });

    it('lets partner routes be called only by tagged principals of the configured partner accounts', () => {
      const api = resourceOf(env.templates.api, env.api.api).Properties;
      const statements = (api.Policy as { Statement: (Statement & { Principal: unknown; Sid: string })[] })
        .Statement;
      const partnerArns = routeList.filter((r) => r.auth.kind === 'partner').map(methodArnPattern);
      const accounts = env.config.partnerAccounts;
      const one = <T>(values: T[]) => (values.length === 1 ? values[0] : values);
      const allowAll = statements.find(
        (s) => s.Effect === 'Allow' && JSON.stringify(s.Principal) === '{"AWS":"*"}',
      );
      expect(allowAll?.Resource).toBe('execute-api:/*');
      const allowPartners = statements.find((s) => s.Sid === 'PartnerRoutes');
      expect(allowPartners?.Principal).toEqual({ AWS: one(accounts.map((a) => `arn:aws:iam::${a}:root`)) });
      expect(asArray(allowPartners?.Resource).sort()).toEqual([...partnerArns].sort());
      expect(statements.find((s) => s.Sid === 'PartnerRoutesOnlyForPartnerAccounts')).toMatchObject({
        Effect: 'Deny',
        Condition: { StringNotEquals: { 'aws:PrincipalAccount': accounts } },
      });
      expect(statements.find((s) => s.Sid === 'PartnerRoutesOnlyForTaggedPrincipals')).toMatchObject({
        Effect: 'Deny',
        Condition: { Null: { 'aws:PrincipalTag/motcua-agency': 'true' } },
      });
      for (const deny of statements.filter((s) => s.Effect === 'Deny')) {
        expect(asArray(deny.Resource).sort()).toEqual([...partnerArns].sort());
      }
      // No role or user ARN: agencies are registered as data, so the policy grows with accounts only.
      expect(JSON.stringify(statements)).not.toMatch(/:(role|user)\//);
    });

    it('validates bodies and parameters, with a model for every route that takes a body', () => {
      env.templates.api.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
      for (const route of routeList) {
        const method = env.api.methods.get(route.id) as IConstruct;
        const props = resourceOf(env.templateOf(method), method).Properties;
        expect(props.RequestValidatorId, route.id).toBeDefined();
        if (route.request?.body) expect(props.RequestModels, route.id).toHaveProperty(['application/json']);
        else expect(props.RequestModels, route.id).toBeUndefined();
      }
    });

    it('answers CORS preflights for the configured origins and treats every body as binary', () => {
      const api = resourceOf(env.templates.api, env.api.api).Properties;
      expect(api.BinaryMediaTypes).toEqual(['*/*']);
      const options = Object.values(env.templates.api.findResources('AWS::ApiGateway::Method')).filter(
        (m) => m.Properties.HttpMethod === 'OPTIONS',
      );
      expect(options.length).toBeGreaterThanOrEqual(new Set(routeList.map((r) => r.path)).size);
      expect(JSON.stringify(options[0])).toContain(env.config.corsOrigins[0]);
    });

    it('lets every mock integration (preflights, 405) run its template although every media type is binary', () => {
      const mocks = Object.values(env.templates.api.findResources('AWS::ApiGateway::Method'))
        .map(
          (m) =>
            m.Properties as { HttpMethod: string; Integration?: { Type: string; ContentHandling?: string } },
        )
        .filter((m) => m.Integration?.Type === 'MOCK');
      expect(mocks.some((m) => m.HttpMethod === 'OPTIONS')).toBe(true);
      for (const mock of mocks)
        expect(mock.Integration?.ContentHandling, mock.HttpMethod).toBe('CONVERT_TO_TEXT');
    });

    it('puts CORS and security headers on the answers the gateway gives itself', () => {
      const responses = Object.values(env.templates.api.findResources('AWS::ApiGateway::GatewayResponse'));
      const origin = env.config.corsOrigins.length === 1 ? `'${env.config.corsOrigins[0]}'` : "'*'";
      for (const response of responses) {
        const headers = response.Properties.ResponseParameters as Record<string, string>;
        expect(headers['gatewayresponse.header.access-control-allow-origin']).toBe(origin);
        expect(headers['gatewayresponse.header.x-content-type-options']).toBe("'nosniff'");
      }
    });

    it('answers 405 with Allow for a method a known path does not serve', () => {
      const methods = Object.values(env.templates.api.findResources('AWS::ApiGateway::Method')).map(
        (m) =>
          m.Properties as {
            HttpMethod: string;
            Integration?: { Type: string; IntegrationResponses?: unknown[] };
          },
      );
      const anyMethods = methods.filter((m) => m.HttpMethod === 'ANY');
      expect(anyMethods).toHaveLength(new Set(routeList.map((r) => r.path)).size);
      for (const method of anyMethods) {
        expect(method.Integration?.Type).toBe('MOCK');
        expect(JSON.stringify(method.Integration?.IntegrationResponses)).toContain('"StatusCode":"405"');
        expect(JSON.stringify(method.Integration?.IntegrationResponses)).toContain(
          'method.response.header.Allow',
        );
      }
    });

    it('answers its own refusals with the statuses and codes the local gateway uses', () => {
      const responses = Object.values(
        env.templates.api.findResources('AWS::ApiGateway::GatewayResponse'),
      ).map(
        (r) =>
          r.Properties as {
            ResponseType: string;
            StatusCode?: string;
            ResponseTemplates: Record<string, string>;
          },
      );
      for (const answer of Object.values(gatewayAnswers)) {
        for (const type of answer.apiGatewayTypes) {
          const response = responses.find((r) => r.ResponseType === type);
          expect(response, type).toBeDefined();
          if (!type.startsWith('DEFAULT_')) expect(response?.StatusCode, type).toBe(String(answer.status));
          expect(response?.ResponseTemplates['application/json'], type).toContain(`"code":"${answer.code}"`);
        }
      }
      const badBody = responses.find((r) => r.ResponseType === 'BAD_REQUEST_BODY');
      expect(badBody?.ResponseTemplates['application/json']).toContain('validationErrorString');
    });
  });

  describe('monitoring stack', () => {
    it('alarms on API 5XX and p99 latency, on handled 5xx and throttles of every function, and consumer lag', () => {
      const alarms = Object.values(env.templates.monitoring.findResources('AWS::CloudWatch::Alarm')).map(
        (a) => a.Properties as Record<string, unknown>,
      );
      const consumers = consumerList.length;
      // The workflow's functions alarm on throttles; its runs (3), overdue steps and their growth, failed agency
      // webhooks and dossiers left stuck by the sweep (workflow-stack.test.ts) on 7 more; the sweep's dead letters (1).
      const workflowFunctions = env.workflow.functions.size;
      // Scheduled functions (shared/schedules.ts) alarm on throttles and on their dead letters.
      const schedules = scheduleList.length;
      // The daily export (data-sharing stack): throttles and dead letters (2).
      // Payments: callbacks failed on our side, and payments reconciliation could not settle (2).
      // The agency webhooks given up on (the workflow stack's dead-letter queue of the assign task and
      // routing-forwarded): its depth (1).
      expect(alarms).toHaveLength(
        2 + 2 * routeList.length + 3 * consumers + workflowFunctions + 7 + 1 + 2 * schedules + 2 + 2 + 1,
      );
      const metrics = alarms.map((a) => `${a.Namespace}:${a.MetricName}`);
      expect(metrics).toEqual(
        expect.arrayContaining(['motcua:PaymentCallbackFailures', 'motcua:PaymentsUnreconciled']),
      );
      expect(metrics).toEqual(expect.arrayContaining(['AWS/ApiGateway:5XXError', 'AWS/ApiGateway:Latency']));
      // The daily export is the one function outside the API, events and workflow stacks.
      expect(metrics.filter((m) => m === 'AWS/Lambda:Throttles')).toHaveLength(
        routeList.length + consumers + workflowFunctions + schedules + 1,
      );
      expect(metrics.filter((m) => m === 'AWS/Lambda:IteratorAge')).toHaveLength(consumers);
      // The consumers', the schedules', the routing sweep's, the daily export's and the agency webhooks'.
      expect(metrics.filter((m) => m === 'AWS/SQS:ApproximateNumberOfMessagesVisible')).toHaveLength(
        consumers + schedules + 1 + 1 + 1,
      );
      // Handled 5xx come from the runtime's EMF metric, one alarm per HTTP function; Lambda's Errors stays silent
      // when a handler answers a fault with a 500.
      expect(metrics).not.toContain('AWS/Lambda:Errors');
      const serverErrors = alarms.filter((a) => a.MetricName === 'ServerErrors');
      // Sorted by name: alarms follow the API's contexts, the route table its files (a route's file need not be
      // its handler's context, e.g. redriveDossier), and a bare sort() leaves arrays of objects in place.
      const byName = (dims: unknown) => JSON.stringify(dims);
      expect(serverErrors.map((a) => byName(a.Dimensions)).sort()).toEqual(
        routeList
          .map((r) => byName([{ Name: 'service', Value: env.api.functions.get(r.id)?.functionName }]))
          .sort(),
      );
      for (const alarm of serverErrors) {
        expect(alarm).toMatchObject({
          Namespace: 'motcua',
          Statistic: 'Sum',
          Period: 300,
          Threshold: env.config.alarms.serverErrorsPer5Min,
          TreatMissingData: 'notBreaching',
        });
      }
      for (const alarm of alarms.filter((a) => a.MetricName === 'IteratorAge')) {
        expect(alarm.Threshold).toBe(iteratorAgeAlarmMs);
      }
      const topicId = logicalId(env.monitoring.alarmTopic);
      for (const alarm of alarms) {
        expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
        // ALARM only: an OK notification for every alarm that clears is noise in the inbox.
        expect(alarm.OKActions).toBeUndefined();
        expect(alarm.InsufficientDataActions).toBeUndefined();
      }
    });

    it('sends alarms through a KMS-encrypted, TLS-only topic', () => {
      const topic = resourceOf(env.templates.monitoring, env.monitoring.alarmTopic).Properties;
      expect(topic.KmsMasterKeyId).toBeDefined();
      env.templates.monitoring.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      env.templates.monitoring.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });

  describe('cdk-nag (AwsSolutions)', () => {
    it('reports no unacknowledged error or warning', () => {
      const report = env.nagPack?.validateScope(env.app);
      expect(
        report?.violations.map((v) => `${v.ruleName} at ${v.violatingResources[0]?.constructPath}`),
      ).toEqual([]);
      expect(report?.success).toBe(true);
    });

    it('gives every acknowledgement a reason', () => {
      const acknowledgements = collectAcknowledgements(env.app);
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const ack of acknowledgements)
        expect(ack.reason.trim().length, `${ack.path} ${ack.id}`).toBeGreaterThan(20);
    });
  });
});

function expectTlsOnly(template: Template, bucket: Bucket) {
  const bucketId = logicalId(bucket);
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
    (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
  );
  expect(policies, bucketId).toHaveLength(1);
  expect(policies[0]?.Properties.PolicyDocument.Statement).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]),
  );
}
