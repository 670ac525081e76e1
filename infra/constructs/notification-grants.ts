// What a consumer that messages applicants may do (ses:SendEmail, sns:Publish) and the settings it reads at cold start.
import { Stack, Validations } from 'aws-cdk-lib';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { EnvironmentConfig } from '../config/environments';
import type { MotcuaFunction } from './motcua-function';

/** The SES identity the From address belongs to: the only identity the function may send as. */
export function sesIdentityArn(stack: Stack, identity: string): string {
  return stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
}

export const SMS_ONLY_REASON =
  'SNS Publish to a phone number has no resource ARN, so IAM can only allow it on "*"; a Deny on every topic and ' +
  'platform-endpoint ARN (arn:aws:sns:*:*:*) in the same policy leaves direct SMS as the one thing it can publish';

export function grantNotifications(
  fn: MotcuaFunction,
  config: EnvironmentConfig,
  sends: readonly ('email' | 'sms')[],
): void {
  const stack = Stack.of(fn);
  const { emailIdentity, emailFrom, smsSenderId } = config.notifications;
  const statements: PolicyStatement[] = [];
  if (sends.includes('email')) {
    statements.push(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        resources: [sesIdentityArn(stack, emailIdentity)],
        // Of that identity, only the configured From address.
        conditions: { StringEquals: { 'ses:FromAddress': emailFrom } },
      }),
    );
  }
  if (sends.includes('sms')) {
    statements.push(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['sns:Publish'], resources: ['*'] }),
      new PolicyStatement({
        effect: Effect.DENY,
        actions: ['sns:Publish'],
        resources: ['arn:aws:sns:*:*:*'],
      }),
    );
  }
  const policy = new Policy(fn, 'Notifications', { roles: [fn.role], statements });
  fn.function.node.addDependency(policy);
  if (sends.includes('sms'))
    Validations.of(policy).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: SMS_ONLY_REASON });
  fn.setEnv('NOTIFY_EMAIL_FROM', emailFrom)
    .setEnv('NOTIFY_SMS_SENDER_ID', smsSenderId)
    .setEnv('NOTIFY_SUPERVISORS_EMAIL', config.notifications.supervisorsEmail)
    .setEnv('PUBLIC_BASE_URL', config.publicBaseUrl);
}
