// What a function that sends agencies signed webhooks may do: read the agencies' endpoint secrets
// (`motcua/<env>/agency-webhooks/<agency code>`, shared/adapters/secrets-manager-agency-endpoints.ts), and where to
// find them. Only the functions whose definition declares `notifies` get it (the assign task, routing-forwarded).
import { Stack } from 'aws-cdk-lib';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  AGENCY_WEBHOOKS_SECRET_PREFIX,
  agencyWebhooksSecretPrefix,
} from '../../shared/adapters/secrets-manager-agency-endpoints';
import { acknowledgeWildcardResource } from '../nag';
import type { MotcuaFunction } from './motcua-function';

/** Every agency's endpoint secret of the environment: Secrets Manager appends `-` and six characters to each ARN. */
export function agencyWebhookSecretsArn(stack: Stack, envName: string): string {
  return `arn:${stack.partition}:secretsmanager:${stack.region}:${stack.account}:secret:${agencyWebhooksSecretPrefix(envName)}*`;
}

export function grantAgencyWebhooks(fn: MotcuaFunction, envName: string): void {
  const stack = Stack.of(fn);
  const resource = agencyWebhookSecretsArn(stack, envName);
  const policy = new Policy(fn, 'AgencyWebhooks', {
    roles: [fn.role],
    statements: [
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [resource],
      }),
    ],
  });
  fn.function.node.addDependency(policy);
  acknowledgeWildcardResource(
    policy,
    resource,
    'One secret per agency, registered as agencies join (agency data, not code): the prefix of this environment’s agency webhook secrets, read-only',
  );
  fn.setEnv(AGENCY_WEBHOOKS_SECRET_PREFIX, agencyWebhooksSecretPrefix(envName));
}
