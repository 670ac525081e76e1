// The Notifier over Amazon SES v2 (email) and Amazon SNS (SMS to a phone number, no topic). The clients are passed
// in, built once per cold start; their endpoints come from AWS_ENDPOINT_URL_SESV2 / AWS_ENDPOINT_URL_SNS when set.
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { e164 } from '../notifications/recipients';
import { tagList } from '../notifications/tags';
import type { Notifier } from '../ports/notifier';

export interface AwsNotifierOptions {
  emailFrom: string;
  smsSenderId: string;
}

export function awsNotifier(ses: SESv2Client, sns: SNSClient, options: AwsNotifierOptions): Notifier {
  const text = (value: string) => ({ Data: value, Charset: 'UTF-8' });
  const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
  return {
    async sendEmail(message) {
      const { MessageId } = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: options.emailFrom,
          Destination: { ToAddresses: [message.to] },
          Content: { Simple: { Subject: text(message.subject), Body: { Text: text(message.text) } } },
          EmailTags: tagList(message.tags),
        }),
      );
      if (!MessageId) throw new Error('SES answered SendEmail without a MessageId');
      return { messageId: MessageId };
    },
    async sendSms(message) {
      const { MessageId } = await sns.send(
        new PublishCommand({
          PhoneNumber: e164(message.to),
          Message: message.text,
          MessageAttributes: {
            'AWS.SNS.SMS.SenderID': attribute(options.smsSenderId),
            // Transactional: a message about the citizen's own dossier, delivered before promotional traffic.
            'AWS.SNS.SMS.SMSType': attribute('Transactional'),
            ...Object.fromEntries(tagList(message.tags).map((tag) => [tag.Name, attribute(tag.Value)])),
          },
        }),
      );
      if (!MessageId) throw new Error('SNS answered Publish without a MessageId');
      return { messageId: MessageId };
    },
  };
}
