// The public REST API, built from the route table. This stack owns the REST API, its resource tree (paths, CORS
// preflights, 405 answers), gateway answers, authorizer, validator, deployment, stage and WAF; each bounded context's
// functions and methods live in a nested stack (api-routes-stack.ts).
//
// Why nested stacks: one template holds at most 500 resources and a route costs ~8 (function, role, two policies, log
// group, permission, method, model), so one stack would run out before routing, payment and results are in. Nested
// stacks take the parent's ids as parameters, not exports: removing a route or a context never meets an export that
// another stack still imports. The deployment is in this stack, depends on every nested stack, and takes a hash of
// every API Gateway resource in all of them into its logical id, so any method change is deployed to the stage.
import { createHash } from 'node:crypto';
import {
  ArnFormat,
  type CfnElement,
  CfnOutput,
  type CfnResource,
  Duration,
  Lazy,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  CfnAuthorizer,
  type CfnMethod,
  ContentHandling,
  Deployment,
  EndpointType,
  type IAuthorizer,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  MockIntegration,
  PassthroughBehavior,
  ResponseType,
  RestApi,
  Stage,
} from 'aws-cdk-lib/aws-apigateway';
import {
  AnyPrincipal,
  ArnPrincipal,
  Effect,
  PolicyDocument,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { binaryMediaTypes } from '../../shared/http/api-settings';
import { gatewayAnswers, gatewayErrorBody } from '../../shared/http/gateway-responses';
import { securityHeaders } from '../../shared/http/headers';
import type { RouteDefinition } from '../../shared/http/route-types';
import { routesByContext } from '../api/contexts';
import { assertRoutesDeployable, gatewayAuthOf, methodArnPattern } from '../api/route-mapping';
import type { EnvironmentConfig } from '../config/environments';
import type { MotcuaFunction } from '../constructs/motcua-function';
import { type NarrowedUses, routeGrants } from '../least-privilege';
import { acknowledgeRules } from '../nag';
import { ApiRoutesStack } from './api-routes-stack';
import { pascal, type StatefulStack } from './stateful-stack';

export interface ApiStackProps extends StackProps {
  config: EnvironmentConfig;
  stateful: StatefulStack;
  routes: readonly RouteDefinition[];
  appVersion: string;
  /** Narrowed grants by route id; infra/least-privilege.ts's unless a test passes its own. */
  grants?: Partial<Record<string, NarrowedUses>>;
}

/** API Gateway's limit on the length of a REST API's resource policy (characters). */
export const resourcePolicyLimit = 8_192;

/** The tag a partner principal (role or user) must carry for the resource policy to let it reach partner routes. */
export const partnerTag = 'motcua-agency';

/** The physical name of a route's function (monitoring addresses it by this name). */
export function routeFunctionName(envName: string, routeId: string): string {
  return `motcua-${envName}-${routeId}`;
}

/** Headers a browser may send on a cross-origin call (preflight answer). */
export const corsAllowHeaders = [
  'authorization',
  'content-type',
  'idempotency-key',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
];

/**
 * Headers of the answers API Gateway gives itself (gateway responses, the 405 mock), as static values: single-quoted,
 * so values holding a quote cannot be set. They carry CORS too, or a browser sees a 401 as a network failure: the
 * one configured origin, or `*` where several are (these answers are errors, readable by anyone anyway).
 */
function staticHeaders(corsOrigins: readonly string[]): Record<string, string> {
  return {
    ...Object.fromEntries(
      Object.entries(securityHeaders)
        .filter(([, value]) => !value.includes("'"))
        .map(([name, value]) => [`method.response.header.${name}`, `'${value}'`]),
    ),
    'method.response.header.access-control-allow-origin': `'${corsOrigins.length === 1 ? corsOrigins[0] : '*'}'`,
  };
}

export class ApiStack extends Stack {
  readonly api: RestApi;
  readonly stage: Stage;
  readonly deployment: Deployment;
  readonly accessLogs: LogGroup;
  /** The firewall's request log (`aws-waf-logs-motcua-<env>`), without credentials or query strings. */
  readonly wafLogs: LogGroup;
  /** Encrypts the API's access, execution and firewall logs: they hold callers' IP addresses and user ids. */
  readonly logsKey: Key;
  readonly webAcl: CfnWebACL;
  /** The nested stack of each bounded context, by context. */
  readonly contexts = new Map<string, ApiRoutesStack>();
  /** The function behind each route, by route id. */
  readonly functions = new Map<string, MotcuaFunction>();
  /** The API Gateway method of each route, by route id. */
  readonly methods = new Map<string, Method>();
  private readonly corsOrigins: readonly string[];

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, stateful, routes } = props;
    assertRoutesDeployable(routes);
    this.corsOrigins = config.corsOrigins;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.logsKey = this.logKey(config, removalPolicy);
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy,
      encryptionKey: this.logsKey,
    });

    this.api = new RestApi(this, 'Api', {
      restApiName: `motcua-${config.name}`,
      description: `motcua ${config.name}: Public Administrative Service Center API`,
      endpointTypes: [EndpointType.REGIONAL],
      binaryMediaTypes,
      policy: resourcePolicy(routes, config),
      // Execution logs (APIG6) need the account-level CloudWatch role; RETAIN because it is shared by every
      // API in the account and region, so deleting one environment must not break the others.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      // The deployment and stage are below: they must wait for the nested stacks' methods.
      deploy: false,
      defaultCorsPreflightOptions: {
        allowOrigins: config.corsOrigins,
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: corsAllowHeaders,
        maxAge: Duration.hours(1),
      },
    });
    this.addGatewayResponses();

    // The resource tree belongs to this stack: contexts share path prefixes (/v1/me, /v1/counter), and a path part
    // created by two stacks would clash.
    for (const route of routes) this.api.root.resourceForPath(route.path);
    this.addMethodNotAllowed(routes);
    this.textForPreflights();

    const validator = this.api.addRequestValidator('RequestValidator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const authorizer = routes.some((route) => gatewayAuthOf(route) === 'COGNITO_USER_POOLS')
      ? this.cognitoAuthorizer(stateful)
      : undefined;

    const environment = {
      STAGE: config.name,
      CORS_ORIGINS: config.corsOrigins.join(','),
      PUBLIC_BASE_URL: config.publicBaseUrl,
      LOG_LEVEL: config.logLevel,
      APP_VERSION: props.appVersion,
    };

    for (const [context, contextRoutes] of routesByContext(routes)) {
      const nested = new ApiRoutesStack(this, `${pascal(context)}Routes`, {
        context,
        config,
        stateful,
        routes: contextRoutes,
        restApiId: this.api.restApiId,
        rootResourceId: this.api.restApiRootResourceId,
        resourceIdOf: (path) => this.api.root.resourceForPath(path).resourceId,
        ...(authorizer ? { authorizer } : {}),
        validator,
        environment,
        grants: props.grants ?? routeGrants,
        logRemovalPolicy: removalPolicy,
        functionNameOf: (route) => routeFunctionName(config.name, route.id),
      });
      this.contexts.set(context, nested);
      for (const [id, fn] of nested.functions) this.functions.set(id, fn);
      for (const [id, method] of nested.methods) this.methods.set(id, method);
    }

    this.deployment = new Deployment(this, 'Deployment', {
      api: this.api,
      description: `motcua ${config.name}`,
    });
    // A new logical id (so a new deployment) whenever any method, resource, model or answer changes, wherever it is.
    this.deployment.addToLogicalId(Lazy.string({ produce: () => apiFingerprint(this) }));
    for (const nested of this.contexts.values()) this.deployment.node.addDependency(nested);

    this.stage = new Stage(this, 'Stage', {
      deployment: this.deployment,
      stageName: config.name,
      tracingEnabled: true,
      metricsEnabled: true,
      // ERROR only, no data trace: bodies carry personal data (citizen IDs) that must not reach logs.
      loggingLevel: MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      throttlingRateLimit: config.throttling.rateLimit,
      throttlingBurstLimit: config.throttling.burstLimit,
      accessLogDestination: new LogGroupLogDestination(this.accessLogs),
      accessLogFormat: accessLogFormat(),
    });
    this.api.deploymentStage = this.stage;
    const account = this.api.node.tryFindChild('Account');
    if (account) this.stage.node.addDependency(account);
    // API Gateway would create its execution log group itself, kept forever; owning it sets the retention.
    new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${config.name}`,
      retention: config.logRetention,
      removalPolicy,
      encryptionKey: this.logsKey,
    });
    this.webAcl = this.firewall(config);
    this.wafLogs = this.firewallLogs(config, removalPolicy);
    acknowledgeRules(
      this.stage,
      ['NIST.800.53.R5-APIGWCacheEnabledAndEncrypted'],
      'No stage cache: answers are per caller (their dossiers, their documents) and change with every transition, so a cached answer would be stale or someone else’s',
    );
    acknowledgeRules(
      this.stage,
      ['NIST.800.53.R5-APIGWSSLEnabled'],
      'Every integration is a Lambda proxy invoked through the Lambda API with IAM; there is no HTTP backend to present a client certificate to',
    );

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'UserPoolId', { value: stateful.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: stateful.userPoolClient.userPoolClientId });

    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level API Gateway logging role uses the AWS-managed policy AWS documents for exactly this purpose',
      });
    }
  }

  private cognitoAuthorizer(stateful: StatefulStack): IAuthorizer {
    // The L1 resource: the L2 authorizer attaches itself to the one RestApi object its methods use, and the methods
    // are in nested stacks that reach this API through its id.
    const authorizer = new CfnAuthorizer(this, 'UserPoolAuthorizer', {
      restApiId: this.api.restApiId,
      name: 'UserPoolAuthorizer',
      type: 'COGNITO_USER_POOLS',
      providerArns: [stateful.userPool.userPoolArn],
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: 300,
    });
    return { authorizerId: authorizer.ref, authorizationType: AuthorizationType.COGNITO };
  }

  /**
   * CORS preflights are mock integrations too; with every media type binary, their template would not run and the
   * preflight would fail with 500. CorsOptions cannot say so, hence the override.
   */
  private textForPreflights() {
    for (const method of this.api.methods) {
      if (method.httpMethod !== 'OPTIONS') continue;
      (method.node.defaultChild as CfnMethod).addPropertyOverride(
        'Integration.ContentHandling',
        'CONVERT_TO_TEXT',
      );
    }
  }

  /**
   * A known path with a method it does not serve answers 405 with `Allow`, as the local gateway does. Without
   * this, API Gateway answers MISSING_AUTHENTICATION_TOKEN, which reads as an unknown route.
   */
  private addMethodNotAllowed(routes: readonly RouteDefinition[]) {
    const methodsByPath = new Map<string, string[]>();
    for (const route of routes)
      methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
    for (const [path, methods] of methodsByPath) {
      const allow = methods.join(', ');
      const headers = { ...staticHeaders(this.corsOrigins), 'method.response.header.Allow': `'${allow}'` };
      const method = this.api.root.resourceForPath(path).addMethod(
        'ANY',
        new MockIntegration({
          // Every media type is binary (api-settings.ts); a mock's template only runs on text.
          contentHandling: ContentHandling.CONVERT_TO_TEXT,
          requestTemplates: { 'application/json': '{"statusCode": 405}' },
          passthroughBehavior: PassthroughBehavior.WHEN_NO_TEMPLATES,
          // The default (and only) integration response: whatever the mock returns, the caller gets a 405.
          integrationResponses: [
            {
              statusCode: '405',
              responseParameters: headers,
              responseTemplates: {
                'application/json': JSON.stringify({
                  error: { code: 'METHOD_NOT_ALLOWED', message: `Allowed methods: ${allow}` },
                }),
              },
            },
          ],
        }),
        {
          operationName: `methodNotAllowed${pascal(path.replace(/[{}]/g, ''))}`,
          authorizationType: AuthorizationType.NONE,
          methodResponses: [
            {
              statusCode: '405',
              responseParameters: Object.fromEntries(Object.keys(headers).map((h) => [h, true])),
            },
          ],
        },
      );
      Validations.of(method).acknowledge(
        {
          id: 'AwsSolutions-APIG4',
          reason: `Answers 405 for methods ${path} does not serve; reaches no function or data`,
        },
        {
          id: 'AwsSolutions-COG4',
          reason: `Answers 405 for methods ${path} does not serve; reaches no function or data`,
        },
      );
    }
  }

  /** Errors the gateway answers itself keep the API's error shape and security headers. */
  private addGatewayResponses() {
    const headers = Object.fromEntries(
      Object.entries(staticHeaders(this.corsOrigins)).map(([name, value]) => [
        name.replace('method.response.header.', ''),
        value,
      ]),
    );
    // One vocabulary whoever answers: the codes and statuses come from shared/http/gateway-responses.ts, which the
    // local gateway answers with too. A body that fails the model keeps its field-level reason in `details`.
    const template = (code: string, type: string) => ({
      'application/json': `{"error":{"code":"${code}","message":$context.error.messageString${
        type === 'BAD_REQUEST_BODY'
          ? ',"details":"$util.escapeJavaScript($context.error.validationErrorString)"'
          : ''
      }}}`,
    });
    for (const answer of Object.values(gatewayAnswers)) {
      for (const type of answer.apiGatewayTypes) {
        this.api.addGatewayResponse(`Gateway${type}`, {
          type: ResponseType.of(type),
          // A DEFAULT_5XX keeps the status it arose with (500, 502, 504…); the specific types get ours.
          ...(type.startsWith('DEFAULT_') ? {} : { statusCode: String(answer.status) }),
          responseHeaders: headers,
          templates: template(answer.code, type),
        });
      }
    }
    this.api.addGatewayResponse('Default4xx', {
      type: ResponseType.DEFAULT_4XX,
      responseHeaders: headers,
      templates: template('$context.error.responseType', 'DEFAULT_4XX'),
    });
  }

  /** A key CloudWatch Logs may use for this account's log groups in this region, and nothing else may. */
  private logKey(config: EnvironmentConfig, removalPolicy: RemovalPolicy): Key {
    const key = new Key(this, 'LogsKey', {
      description: `motcua ${config.name}: encrypts the API's access, execution and firewall logs`,
      enableKeyRotation: true,
      removalPolicy,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    return key;
  }

  /**
   * The firewall's request log in CloudWatch Logs: which rule matched which request, from which IP. Credentials
   * (Authorization, a session token) and query strings (the tracking page's lookup key) are redacted, as the
   * access log keeps them out too.
   */
  private firewallLogs(config: EnvironmentConfig, removalPolicy: RemovalPolicy): LogGroup {
    // WAF takes only log groups named aws-waf-logs-*, by their ARN without the trailing `:*` CDK's logGroupArn has.
    const logGroupName = `aws-waf-logs-motcua-${config.name}`;
    const logs = new LogGroup(this, 'WafLogs', {
      logGroupName,
      retention: config.logRetention,
      removalPolicy,
      encryptionKey: this.logsKey,
    });
    const logging = new CfnLoggingConfiguration(this, 'WebAclLogging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        this.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'x-amz-security-token' } },
        { queryString: {} },
      ],
    });
    logging.node.addDependency(logs);
    return logs;
  }

  private firewall(config: EnvironmentConfig): CfnWebACL {
    const metric = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName: `motcua-${config.name}-${name}`,
      sampledRequestsEnabled: true,
    });
    const webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      customResponseBodies: {
        throttled: {
          contentType: 'APPLICATION_JSON',
          content: gatewayErrorBody(gatewayAnswers.throttled),
        },
      },
      defaultAction: { allow: {} },
      visibilityConfig: metric('web-acl'),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          statement: {
            rateBasedStatement: {
              limit: config.wafRateLimitPer5MinPerIp,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          // The same error body and CORS header as every other refusal, so a browser can tell it is throttled.
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'throttled',
                responseHeaders: [
                  {
                    name: 'access-control-allow-origin',
                    value: config.corsOrigins.length === 1 ? config.corsOrigins[0]! : '*',
                  },
                  { name: 'retry-after', value: '300' },
                ],
              },
            },
          },
          visibilityConfig: metric('rate-limit-per-ip'),
        },
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 1,
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              // The rule set blocks bodies over 8 KB; handlers enforce each route's own maxBodyBytes instead.
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          overrideAction: { none: {} },
          visibilityConfig: metric('common-rule-set'),
        },
        {
          name: 'AWSManagedRulesKnownBadInputsRuleSet',
          priority: 2,
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' },
          },
          overrideAction: { none: {} },
          visibilityConfig: metric('known-bad-inputs'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.stage.stageArn,
      webAclArn: webAcl.attrArn,
    });
    return webAcl;
  }
}

/**
 * Partner routes only for IAM principals of the configured partner accounts that carry the `motcua-agency` tag;
 * everything else for anyone, since those routes are public or checked by the JWT authorizer. Which agency a
 * principal acts for is not here: it is a registry item the partner functions read (PARTNER#<principal ARN> in the
 * catalogue table), so the policy grows with partner accounts, not with agencies, and registering an agency needs no
 * deploy. The denies also stop same-account IAM identities whose own policies would otherwise be enough. "Everything
 * else" is one wildcard so the policy does not grow with routes either.
 */
export function resourcePolicy(
  routes: readonly RouteDefinition[],
  config: EnvironmentConfig,
): PolicyDocument {
  const partnerRoutes = routes.filter((route) => route.auth.kind === 'partner').map(methodArnPattern);
  const accounts = config.partnerAccounts;
  const statements = [
    new PolicyStatement({
      sid: 'AnyoneExceptOnPartnerRoutes',
      effect: Effect.ALLOW,
      principals: [new AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: ['execute-api:/*'],
    }),
  ];
  if (partnerRoutes.length > 0 && accounts.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'PartnerRoutes',
        effect: Effect.ALLOW,
        principals: accounts.map((account) => new ArnPrincipal(`arn:aws:iam::${account}:root`)),
        actions: ['execute-api:Invoke'],
        resources: partnerRoutes,
        conditions: { Null: { [`aws:PrincipalTag/${partnerTag}`]: 'false' } },
      }),
    );
  }
  if (partnerRoutes.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'PartnerRoutesOnlyForPartnerAccounts',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: partnerRoutes,
        ...(accounts.length > 0
          ? { conditions: { StringNotEquals: { 'aws:PrincipalAccount': accounts } } }
          : {}),
      }),
      new PolicyStatement({
        sid: 'PartnerRoutesOnlyForTaggedPrincipals',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: partnerRoutes,
        conditions: { Null: { [`aws:PrincipalTag/${partnerTag}`]: 'true' } },
      }),
    );
  }
  const document = new PolicyDocument({ statements });
  const size = JSON.stringify(document.toJSON()).length;
  if (size > resourcePolicyLimit) {
    throw new Error(
      `motcua-${config.name}: the API resource policy is ${size} characters, over API Gateway's ${resourcePolicyLimit}; ` +
        'fewer partner accounts or partner route patterns are needed (e.g. one /v1/partner/* pattern)',
    );
  }
  return document;
}

/** API Gateway elements whose change needs a new deployment (all but the deployment, stage and account). */
const deployedTypes = /^AWS::ApiGateway::(?!Deployment$|Stage$|Account$)/;

/**
 * A hash of every API Gateway element of the API, in this stack and its nested stacks, each resolved in its own
 * stack. CDK does this itself only for elements of the RestApi's own stack.
 */
function apiFingerprint(api: ApiStack): string {
  const hash = createHash('md5');
  for (const construct of api.node.findAll()) {
    const element = construct as Partial<CfnResource>;
    if (typeof element.cfnResourceType !== 'string' || !deployedTypes.test(element.cfnResourceType)) continue;
    const stack = Stack.of(construct);
    const cfn = construct as unknown as CfnElement & { _toCloudFormation(): object };
    hash.update(stack.getLogicalId(cfn));
    hash.update(JSON.stringify(stack.resolve(cfn._toCloudFormation())));
  }
  return hash.digest('hex');
}

function accessLogFormat(): AccessLogFormat {
  // No claims, no headers, no query strings: those can carry citizen IDs and tokens.
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: AccessLogField.contextRequestId(),
      extendedRequestId: AccessLogField.contextExtendedRequestId(),
      requestTime: AccessLogField.contextRequestTime(),
      ip: AccessLogField.contextIdentitySourceIp(),
      userAgent: AccessLogField.contextIdentityUserAgent(),
      caller: AccessLogField.contextIdentityUserArn(),
      sub: AccessLogField.contextAuthorizerClaims('sub'),
      httpMethod: AccessLogField.contextHttpMethod(),
      resourcePath: AccessLogField.contextResourcePath(),
      status: AccessLogField.contextStatus(),
      protocol: AccessLogField.contextProtocol(),
      responseLength: AccessLogField.contextResponseLength(),
      responseLatency: AccessLogField.contextResponseLatency(),
      integrationLatency: AccessLogField.contextIntegrationLatency(),
      integrationStatus: AccessLogField.contextIntegrationStatus(),
      errorType: AccessLogField.contextErrorResponseType(),
      wafStatus: AccessLogField.contextWafResponseCode(),
      xrayTraceId: AccessLogField.contextXrayTraceId(),
    }),
  );
}
