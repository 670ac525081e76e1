// The public REST API, built by iterating the route table: one function per route, auth per route, WAF in front.
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  type CfnMethod,
  CognitoUserPoolsAuthorizer,
  ContentHandling,
  EndpointType,
  type IModel,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  MockIntegration,
  PassthroughBehavior,
  type RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { AnyPrincipal, ArnPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { ResourceId } from '../../shared/data/resources';
import { binaryMediaTypes } from '../../shared/http/api-settings';
import { gatewayAnswers, gatewayErrorBody } from '../../shared/http/gateway-responses';
import { securityHeaders } from '../../shared/http/headers';
import type { RouteDefinition } from '../../shared/http/route-types';
import {
  assertRoutesDeployable,
  bodyModelSchema,
  type GatewayAuth,
  gatewayAuthOf,
  methodArnPattern,
  requestParameters,
} from '../api/route-mapping';
import { type EnvironmentConfig, partnerPrincipalMap } from '../config/environments';
import { ApiFunction } from '../constructs/api-function';
import { pascal, type StatefulStack } from './stateful-stack';

export interface ApiStackProps extends StackProps {
  config: EnvironmentConfig;
  stateful: StatefulStack;
  routes: readonly RouteDefinition[];
  appVersion: string;
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
  readonly accessLogs: LogGroup;
  readonly webAcl: CfnWebACL;
  /** The function behind each route, by route id, for the monitoring stack. */
  readonly functions = new Map<string, ApiFunction>();
  /** The API Gateway method of each route, by route id. */
  readonly methods = new Map<string, Method>();
  private readonly corsOrigins: readonly string[];
  private authorizer?: CognitoUserPoolsAuthorizer;
  private validator?: RequestValidator;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, stateful, routes } = props;
    assertRoutesDeployable(routes);
    this.corsOrigins = config.corsOrigins;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: config.logRetention, removalPolicy });

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
      deployOptions: {
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
      },
      defaultCorsPreflightOptions: {
        allowOrigins: config.corsOrigins,
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: corsAllowHeaders,
        maxAge: Duration.hours(1),
      },
    });
    this.addGatewayResponses();
    // API Gateway would create its execution log group itself, kept forever; owning it sets the retention.
    new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${config.name}`,
      retention: config.logRetention,
      removalPolicy,
    });

    const environment = {
      STAGE: config.name,
      CORS_ORIGINS: config.corsOrigins.join(','),
      PARTNER_PRINCIPALS: JSON.stringify(partnerPrincipalMap(config)),
      PUBLIC_BASE_URL: config.publicBaseUrl,
      LOG_LEVEL: config.logLevel,
      APP_VERSION: props.appVersion,
    };

    for (const route of routes) {
      const fn = new ApiFunction(this, `${pascal(route.id)}Function`, {
        entry: route.handler,
        description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
        memoryMb: route.memoryMb ?? config.lambdaMemoryMb,
        timeoutSeconds: route.timeoutSeconds ?? config.lambdaTimeoutSeconds,
        logRetention: config.logRetention,
        removalPolicy,
        environment,
        copyFonts: route.rendersForms ?? false,
      });
      for (const [resourceId, access] of Object.entries(route.uses) as [ResourceId, 'read' | 'readwrite'][]) {
        fn.use(stateful.resource(resourceId), access);
      }
      this.functions.set(route.id, fn);
      this.methods.set(route.id, this.addRoute(route, fn, stateful));
    }

    this.addMethodNotAllowed(routes);
    this.textForPreflights();
    this.webAcl = this.firewall(config);

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

  private addRoute(route: RouteDefinition, fn: ApiFunction, stateful: StatefulStack): Method {
    const resource = this.api.root.resourceForPath(route.path);
    const auth = gatewayAuthOf(route);
    const body = route.request?.body;
    let model: IModel | undefined;
    if (body) {
      model = this.api.addModel(`${pascal(route.id)}Body`, {
        contentType: 'application/json',
        modelName: `${pascal(route.id)}Body`,
        schema: bodyModelSchema(body),
      });
    }
    const method = resource.addMethod(
      route.method,
      // allowTestInvoke off: the console test-invoke permission is one more Lambda permission nobody needs.
      new LambdaIntegration(fn.function, { proxy: true, allowTestInvoke: false }),
      {
        operationName: route.id,
        authorizationType: authorizationType(auth),
        ...(auth === 'COGNITO_USER_POOLS' ? { authorizer: this.cognitoAuthorizer(stateful) } : {}),
        requestValidator: this.requestValidator(),
        requestParameters: requestParameters(route),
        ...(model ? { requestModels: { 'application/json': model } } : {}),
      },
    );
    if (auth === 'NONE') {
      Validations.of(method).acknowledge(
        {
          id: 'AwsSolutions-APIG4',
          reason: `Route ${route.id} is ${route.auth.kind} by design in the route table; ${
            route.auth.kind === 'provider' ? 'the provider signs its payload (HMAC)' : 'anyone may read it'
          }`,
        },
        {
          id: 'AwsSolutions-COG4',
          reason: `Route ${route.id} is ${route.auth.kind}: no user pool identity exists for its callers`,
        },
      );
    } else if (auth === 'AWS_IAM') {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: `Route ${route.id} is for partner agencies, who authenticate with SigV4 (IAM) and the resource policy`,
      });
    }
    return method;
  }

  private cognitoAuthorizer(stateful: StatefulStack): CognitoUserPoolsAuthorizer {
    this.authorizer ??= new CognitoUserPoolsAuthorizer(this, 'UserPoolAuthorizer', {
      cognitoUserPools: [stateful.userPool],
      identitySource: 'method.request.header.Authorization',
      resultsCacheTtl: Duration.minutes(5),
    });
    return this.authorizer;
  }

  private requestValidator(): RequestValidator {
    this.validator ??= this.api.addRequestValidator('RequestValidator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    return this.validator;
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
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: webAcl.attrArn,
    });
    return webAcl;
  }
}

function authorizationType(auth: GatewayAuth): AuthorizationType {
  switch (auth) {
    case 'NONE':
      return AuthorizationType.NONE;
    case 'COGNITO_USER_POOLS':
      return AuthorizationType.COGNITO;
    case 'AWS_IAM':
      return AuthorizationType.IAM;
  }
}

/**
 * Partner routes only for the configured partner principals; everything else for anyone, since those routes
 * are public or checked by the JWT authorizer. The deny also stops same-account IAM identities whose own
 * policies would otherwise be enough. "Everything else" is one wildcard rather than a list of routes so the
 * policy does not grow toward API Gateway's resource-policy size limit as routes are added.
 */
function resourcePolicy(routes: readonly RouteDefinition[], config: EnvironmentConfig): PolicyDocument {
  const partnerRoutes = routes.filter((route) => route.auth.kind === 'partner').map(methodArnPattern);
  const partnerArns = config.partnerPrincipals.map((p) => p.principalArn);
  const statements = [
    new PolicyStatement({
      sid: 'AnyoneExceptOnPartnerRoutes',
      effect: Effect.ALLOW,
      principals: [new AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: ['execute-api:/*'],
    }),
  ];
  if (partnerRoutes.length > 0 && partnerArns.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'PartnerRoutes',
        effect: Effect.ALLOW,
        principals: partnerArns.map((arn) => new ArnPrincipal(arn)),
        actions: ['execute-api:Invoke'],
        resources: partnerRoutes,
      }),
    );
  }
  if (partnerRoutes.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'PartnerRoutesOnlyForPartners',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: partnerRoutes,
        ...(partnerArns.length > 0
          ? { conditions: { StringNotEquals: { 'aws:PrincipalArn': partnerArns } } }
          : {}),
      }),
    );
  }
  return new PolicyDocument({ statements });
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
