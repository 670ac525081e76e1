// One bounded context's routes (functions/<context>/…): a function per route and its API Gateway method, added to the
// REST API of the parent stack through its ids, so each context's resources count against a template of their own.

import { NestedStack, type NestedStackProps, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  type IAuthorizer,
  type IModel,
  type IRequestValidator,
  type IResource,
  type IRestApi,
  LambdaIntegration,
  type Method,
  Model,
  Resource,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../../shared/http/route-types';
import { bodyModelSchema, type GatewayAuth, gatewayAuthOf, requestParameters } from '../api/route-mapping';
import type { EnvironmentConfig } from '../config/environments';
import { MotcuaFunction } from '../constructs/motcua-function';
import { applyGrants, edgeGrants, type NarrowedUses } from '../least-privilege';
import { secretResource } from '../secrets';
import { pascal, type StatefulStack } from './stateful-stack';
import { routingStateMachine } from './workflow-stack';

export interface ApiRoutesStackProps extends NestedStackProps {
  context: string;
  config: EnvironmentConfig;
  stateful: StatefulStack;
  routes: readonly RouteDefinition[];
  /** The parent's REST API and the id of each path's resource (the parent owns the resource tree). */
  restApiId: string;
  rootResourceId: string;
  resourceIdOf: (path: string) => string;
  authorizer?: IAuthorizer;
  validator: IRequestValidator;
  /** Settings every HTTP function shares. */
  environment: Record<string, string>;
  /** Narrowed grants by route id (infra/least-privilege.ts). */
  grants: Partial<Record<string, NarrowedUses>>;
  /** What happens to the functions' log groups when the stack lets go of them. */
  logRemovalPolicy: RemovalPolicy;
  /** Physical function name of a route. */
  functionNameOf: (route: RouteDefinition) => string;
}

export class ApiRoutesStack extends NestedStack {
  readonly context: string;
  readonly functions = new Map<string, MotcuaFunction>();
  readonly methods = new Map<string, Method>();
  private readonly api: IRestApi;
  private readonly resources = new Map<string, IResource>();

  constructor(scope: Construct, id: string, props: ApiRoutesStackProps) {
    super(scope, id, {
      description: `motcua ${props.config.name}: ${props.context} routes (functions and methods)`,
    });
    this.context = props.context;
    const { config, stateful } = props;
    this.api = RestApi.fromRestApiAttributes(this, 'Api', {
      restApiId: props.restApiId,
      rootResourceId: props.rootResourceId,
    });

    // By name, no reference into the workflow stack (workflow-stack.ts says why); built once, for who declares it.
    let workflow: ReturnType<typeof routingStateMachine> | undefined;
    for (const route of props.routes) {
      const fn = new MotcuaFunction(this, `${pascal(route.id)}Function`, {
        kind: 'http',
        functionName: props.functionNameOf(route),
        entry: route.handler,
        description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
        memoryMb: route.memoryMb ?? config.lambdaMemoryMb,
        timeoutSeconds: route.timeoutSeconds ?? config.lambdaTimeoutSeconds,
        logRetention: config.logRetention,
        removalPolicy: props.logRemovalPolicy,
        environment: props.environment,
      });
      applyGrants(fn, stateful, `Route ${route.id}`, route.uses, props.grants[route.id], edgeGrants(route));
      if (route.workflow) {
        workflow ??= routingStateMachine(this, config.name);
        fn.use(workflow, route.workflow);
      }
      for (const id of route.secrets ?? []) fn.use(secretResource(this, id, config.name), 'read');
      this.functions.set(route.id, fn);
      this.methods.set(route.id, this.addRoute(route, fn, props));
    }
  }

  private resourceFor(path: string, props: ApiRoutesStackProps): IResource {
    let resource = this.resources.get(path);
    if (!resource) {
      resource = Resource.fromResourceAttributes(this, `Path${pascal(path.replace(/[^A-Za-z0-9]+/g, '-'))}`, {
        restApi: this.api,
        resourceId: props.resourceIdOf(path),
        path,
      });
      this.resources.set(path, resource);
    }
    return resource;
  }

  private addRoute(route: RouteDefinition, fn: MotcuaFunction, props: ApiRoutesStackProps): Method {
    const auth = gatewayAuthOf(route);
    const body = route.request?.body;
    let model: IModel | undefined;
    if (body) {
      model = new Model(this, `${pascal(route.id)}Body`, {
        restApi: this.api,
        contentType: 'application/json',
        modelName: `${pascal(route.id)}Body`,
        schema: bodyModelSchema(body),
      });
    }
    if (auth === 'COGNITO_USER_POOLS' && !props.authorizer) {
      throw new Error(`Route ${route.id}: no user pool authorizer was given to the ${this.context} stack`);
    }
    const method = this.resourceFor(route.path, props).addMethod(
      route.method,
      // allowTestInvoke off: the console test-invoke permission is one more Lambda permission nobody needs.
      new LambdaIntegration(fn.function, { proxy: true, allowTestInvoke: false }),
      {
        operationName: route.id,
        authorizationType: authorizationType(auth),
        ...(auth === 'COGNITO_USER_POOLS' && props.authorizer ? { authorizer: props.authorizer } : {}),
        requestValidator: props.validator,
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
}

export function authorizationType(auth: GatewayAuth): AuthorizationType {
  switch (auth) {
    case 'NONE':
      return AuthorizationType.NONE;
    case 'COGNITO_USER_POOLS':
      return AuthorizationType.COGNITO;
    case 'AWS_IAM':
      return AuthorizationType.IAM;
  }
}
