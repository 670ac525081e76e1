// What a function that sends agencies signed webhooks may do: read the agencies' endpoint secrets
// (`motcua/<env>/agency-webhooks/<agency code>`, shared/adapters/secrets-manager-agency-endpoints.ts), and where to
// find them; and send the notices it gives up on to the environment's dead-letter queue
// (`motcua-<env>-agency-webhooks-dead-letters`, created by the workflow stack), addressed by its name: no export, so
// the events stack's consumer holds it as well without tying the two stacks. Only the functions whose definition
// declares `notifies` get it (the assign task, routing-forwarded).
import { Stack } from 'aws-cdk-lib';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  AGENCY_WEBHOOKS_SECRET_PREFIX,
  agencyWebhooksSecretPrefix,
} from '../../shared/adapters/secrets-manager-agency-endpoints';
import {
  AGENCY_WEBHOOK_DEAD_LETTERS_URL,
  agencyWebhookDeadLettersQueueName,
} from '../../shared/adapters/sqs-undelivered-notices';
import { acknowledgeWildcardResource } from '../nag';
import type { MotcuaFunction } from './motcua-function';

/** Every agency's endpoint secret of the environment: Secrets Manager appends `-` and six characters to each ARN. */
export function agencyWebhookSecretsArn(stack: Stack, envName: string): string {
  return `arn:${stack.partition}:secretsmanager:${stack.region}:${stack.account}:secret:${agencyWebhooksSecretPrefix(envName)}*`;
}

/** The agency webhooks' dead-letter queue, from its name (the workflow stack's queue, in any stack of the app). */
export function agencyWebhookDeadLettersOf(stack: Stack, envName: string): { arn: string; url: string } {
  const name = agencyWebhookDeadLettersQueueName(envName);
  return {
    arn: stack.formatArn({ service: 'sqs', resource: name }),
    url: `https://sqs.${stack.region}.${stack.urlSuffix}/${stack.account}/${name}`,
  };
}

export function grantAgencyWebhooks(fn: MotcuaFunction, envName: string): void {
  const stack = Stack.of(fn);
  const resource = agencyWebhookSecretsArn(stack, envName);
  const deadLetters = agencyWebhookDeadLettersOf(stack, envName);
  const policy = new Policy(fn, 'AgencyWebhooks', {
    roles: [fn.role],
    statements: [
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [resource],
      }),
      // Send only: reading and deleting the letters is on-call's (docs/runbook.md).
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [deadLetters.arn],
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
  fn.setEnv(AGENCY_WEBHOOK_DEAD_LETTERS_URL, deadLetters.url);
}
