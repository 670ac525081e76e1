// The notifications consumer's cloud side: it may send email only as the configured SES identity and From address,
// and publish only SMS (no topic); nothing else may send either but the supervisors' alerts (email only); it reads its
// senders from its environment; its dead-letter queue has its alarm like every consumer's.
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MotcuaFunction } from '../../infra/constructs/motcua-function';
import { sesIdentityArn } from '../../infra/constructs/notification-grants';
import { cleanUp, type SynthedEnv, synthEnvironment, synthTimeoutMs } from './support';

let env: SynthedEnv;
beforeAll(() => {
  env = synthEnvironment('prod');
}, synthTimeoutMs);
afterAll(() => cleanUp(env.outdir));

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const asArray = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);

function notificationStatements(fn: MotcuaFunction): Statement[] {
  const policy = fn.node.tryFindChild('Notifications');
  if (!policy) throw new Error(`${fn.node.path} has no Notifications policy`);
  const id = Stack.of(fn).getLogicalId((policy.node.defaultChild ?? policy) as never);
  const resources = env.templateOf(fn).toJSON().Resources as Record<
    string,
    { Properties: Record<string, unknown> }
  >;
  return (resources[id]!.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
}

describe('the supervisors’ alerts consumer', () => {
  const fn = () => env.events.functions.get('supervisor-alerts') as MotcuaFunction;

  it('sends email only, as the configured identity and From address, and publishes nothing to SNS', () => {
    const { emailIdentity, emailFrom } = env.config.notifications;
    expect(notificationStatements(fn())).toEqual([
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: Stack.of(fn()).resolve(sesIdentityArn(Stack.of(fn()), emailIdentity)),
        Condition: { StringEquals: { 'ses:FromAddress': emailFrom } },
      },
    ]);
  });

  it('reads the supervisors’ mailbox of its environment from its environment', () => {
    env.templates.events.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'motcua-prod-supervisor-alerts',
      Environment: {
        Variables: Match.objectLike({
          NOTIFY_SUPERVISORS_EMAIL: env.config.notifications.supervisorsEmail,
          NOTIFY_EMAIL_FROM: env.config.notifications.emailFrom,
        }),
      },
    });
  });
});

describe('the notifications consumer', () => {
  const fn = () => env.events.functions.get('notifications') as MotcuaFunction;

  it('sends email only as the configured identity and From address, and publishes SMS but to no topic', () => {
    const { emailIdentity, emailFrom } = env.config.notifications;
    const identityArn = Stack.of(fn()).resolve(sesIdentityArn(Stack.of(fn()), emailIdentity));
    expect(JSON.stringify(identityArn)).toContain(
      `:ses:ap-southeast-1:555555555555:identity/${emailIdentity}`,
    );
    expect(notificationStatements(fn())).toEqual([
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: identityArn,
        Condition: { StringEquals: { 'ses:FromAddress': emailFrom } },
      },
      { Effect: 'Allow', Action: 'sns:Publish', Resource: '*' },
      { Effect: 'Deny', Action: 'sns:Publish', Resource: 'arn:aws:sns:*:*:*' },
    ]);
  });

  it('is, with the supervisors’ alerts, the only function that may send email or publish to SNS', () => {
    const senders: string[] = [];
    for (const [path, template] of env.allTemplates()) {
      const policies = template.findResources('AWS::IAM::Policy');
      for (const [id, policy] of Object.entries(policies)) {
        const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
        if (
          statements.some((s) => s.Effect === 'Allow' && asArray(s.Action).some((a) => /^(ses|sns):/.test(a)))
        )
          senders.push(`${path}/${id}`);
      }
    }
    expect(senders).toHaveLength(2);
    expect(senders.sort()[0]).toMatch(/events.*NotificationsConsumerNotifications/);
    expect(senders.sort()[1]).toMatch(/events.*SupervisorAlertsConsumerNotifications/);
  });

  it('reads its senders and the public URL from its environment', () => {
    const { emailFrom, smsSenderId } = env.config.notifications;
    env.templates.events.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'motcua-prod-notifications',
      Environment: {
        Variables: Match.objectLike({
          NOTIFY_EMAIL_FROM: emailFrom,
          NOTIFY_SMS_SENDER_ID: smsSenderId,
          PUBLIC_BASE_URL: env.config.publicBaseUrl,
        }),
      },
    });
  });

  it('has a dead-letter queue, and an alarm on it', () => {
    expect(fn().deadLetterQueue).toBeDefined();
    env.templates.events.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'motcua-prod-notifications-dlq',
    });
    env.templates.monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: 'motcua-prod-notifications-dlq' }],
    });
  });
});
