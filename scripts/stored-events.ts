// Every domain event stored in the dossiers table (`entity = event` items of the dossiers' collections), for the
// operator's rebuilds (`npm run stats:rebuild`). A parallel Scan, on purpose: a rebuild reads the whole history once,
// from an operator's shell. It lives here, not in shared/adapters, so no function can bundle it: the request paths and
// the consumers never scan (tests/unit/architecture.test.ts), and no function's role is granted Scan
// (tests/infra/least-privilege.test.ts).
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../shared/domain/events';

export async function storedEvents(
  client: DynamoDBDocumentClient,
  tableName: string,
  segments = 4,
): Promise<DomainEvent[]> {
  const parts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      const events: DomainEvent[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await client.send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: segments,
            FilterExpression: 'entity = :event',
            ExpressionAttributeValues: { ':event': 'event' },
            ProjectionExpression: 'event',
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) events.push(item.event as DomainEvent);
        start = out.LastEvaluatedKey;
      } while (start);
      return events;
    }),
  );
  return parts.flat();
}
