// Every domain event stored in the dossiers table (`entity = event` items of the dossiers' collections), for the
// operator's rebuilds. A parallel Scan, on purpose: a rebuild reads the whole history once, out of any request path,
// where the request paths and the consumers never scan.
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../domain/events';

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
