// Reads a table's stream from DynamoDB Local through the real DynamoDB Streams API, and hands out records in the
// shape Lambda gives a stream consumer (DynamoDBRecord of @types/aws-lambda).
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  type AttributeValue,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';

export interface StreamShard {
  shardId: string;
  parentShardId?: string;
}

export type StartPosition = { after: string } | 'TRIM_HORIZON';

export interface StreamSource {
  /** The table's current stream, or undefined when it has none. */
  streamArn(): Promise<string | undefined>;
  /** Every shard the stream still holds, closed ones included. */
  shards(streamArn: string): Promise<StreamShard[]>;
  iterator(streamArn: string, shardId: string, from: StartPosition): Promise<string>;
  /** `next` undefined: the shard is closed and nothing more will come from it. */
  read(
    streamArn: string,
    iterator: string,
    limit: number,
  ): Promise<{ records: DynamoDBRecord[]; next?: string }>;
}

/** The position asked for is older than what the stream keeps (24 h in the cloud). */
export class TrimmedError extends Error {}
/** The shard is no longer in the stream. */
export class ShardGoneError extends Error {}
/** Iterators live 15 minutes; ask for a new one from the checkpoint. */
export class ExpiredIteratorError extends Error {}

// By name, not class: a second copy of the SDK in node_modules would defeat instanceof.
function translate(error: unknown): unknown {
  const name = (error as { name?: string }).name;
  const message = (error as Error).message;
  if (name === 'TrimmedDataAccessException') return new TrimmedError(message);
  if (name === 'ResourceNotFoundException') return new ShardGoneError(message);
  if (name === 'ExpiredIteratorException') return new ExpiredIteratorError(message);
  return error;
}

/** Lambda carries binary values as base64 strings and the creation time as epoch seconds. */
function toLambdaValue(value: AttributeValue): LambdaAttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  return value as LambdaAttributeValue;
}

function toLambdaImage(image: Record<string, AttributeValue>): Record<string, LambdaAttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([key, value]) => [key, toLambdaValue(value)]));
}

export function toLambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const created = stream.ApproximateCreationDateTime;
  return {
    ...(record.eventID ? { eventID: record.eventID } : {}),
    ...(record.eventName ? { eventName: record.eventName } : {}),
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    ...(record.awsRegion ? { awsRegion: record.awsRegion } : {}),
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
      ...(stream.Keys ? { Keys: toLambdaImage(stream.Keys) } : {}),
      ...(stream.NewImage ? { NewImage: toLambdaImage(stream.NewImage) } : {}),
      ...(stream.OldImage ? { OldImage: toLambdaImage(stream.OldImage) } : {}),
      ...(stream.SequenceNumber ? { SequenceNumber: stream.SequenceNumber } : {}),
      ...(stream.SizeBytes !== undefined ? { SizeBytes: stream.SizeBytes } : {}),
      ...(stream.StreamViewType ? { StreamViewType: stream.StreamViewType } : {}),
    },
    eventSourceARN: streamArn,
  };
}

export function dynamoStreamSource(options: {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
}): StreamSource {
  const { dynamodb, streams, tableName } = options;
  return {
    async streamArn() {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      return Table?.StreamSpecification?.StreamEnabled ? Table.LatestStreamArn : undefined;
    },

    async shards(streamArn) {
      const shards: StreamShard[] = [];
      let start: string | undefined;
      do {
        const { StreamDescription } = await streams.send(
          new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
        );
        for (const shard of StreamDescription?.Shards ?? []) {
          if (!shard.ShardId) continue;
          shards.push({
            shardId: shard.ShardId,
            ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}),
          });
        }
        start = StreamDescription?.LastEvaluatedShardId;
      } while (start);
      return shards;
    },

    async iterator(streamArn, shardId, from) {
      try {
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ...(from === 'TRIM_HORIZON'
              ? { ShardIteratorType: 'TRIM_HORIZON' }
              : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: from.after }),
          }),
        );
        if (!ShardIterator) throw new ShardGoneError(`no iterator for ${shardId}`);
        return ShardIterator;
      } catch (error) {
        throw translate(error);
      }
    },

    async read(streamArn, iterator, limit) {
      try {
        const { Records, NextShardIterator } = await streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }),
        );
        return {
          records: (Records ?? []).map((record) => toLambdaRecord(record, streamArn)),
          ...(NextShardIterator ? { next: NextShardIterator } : {}),
        };
      } catch (error) {
        throw translate(error);
      }
    },
  };
}
