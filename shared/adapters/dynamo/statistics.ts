// The statistics in the dossiers table. Counter rows: `STATS#<unit>#<shard>` / `D#<day>#<channel>` (a unit's day) and
// `P#<day>#<procedure>#<channel>` (its detail), the center under unit `*` with its rows by branch, `U#<day>#<branch>#…`
// and `V#<month>#<branch>#…`; a unit's period is one Query per shard.
// Profiles: `STATSPROFILE#<code>` / `PROFILE`. A dossier's profile, the counters and the consumed marks of the events
// folded into them (one, or a stream batch's of that dossier) are one transaction.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type CounterRow,
  type Counters,
  STAT_SHARDS,
  type StatChannel,
  statCounters,
} from '../../domain/statistics';
import {
  ProfileMovedError,
  type StatisticsStore,
  type StoredProfile,
  type StoredRow,
} from '../../ports/statistics';
import { batchGetAll } from './batch-get';
import { batchPutAll } from './batch-write';
import { consumedMarkKey, consumedMarkPut, type MarkOptions } from './consumed-events';
import { failedConditions } from './transactions';

const partition = (unit: string, shard: number) => `STATS#${unit}#${shard}`;

export function counterKey(row: CounterRow) {
  return {
    pk: partition(row.unit, row.shard),
    sk: row.procedureCode
      ? `P#${row.day}#${row.procedureCode}#${row.channel}`
      : row.branch
        ? `${row.day.length === 7 ? 'V' : 'U'}#${row.day}#${row.branch}#${row.channel}`
        : `D#${row.day}#${row.channel}`,
  };
}

const levelPrefix = { day: 'D', procedure: 'P', branch: 'U', 'branch-month': 'V' } as const;

const profileKey = (code: string) => ({ pk: `STATSPROFILE#${code}`, sk: 'PROFILE' });

function rowOf(item: Record<string, unknown>): StoredRow {
  const [, shard] = /#(\d+)$/.exec(item.pk as string) ?? [];
  const unit = (item.pk as string).slice('STATS#'.length, -(shard!.length + 1));
  const parts = (item.sk as string).split('#');
  const common = { unit, shard: Number(shard), day: parts[1]! };
  const row: CounterRow =
    parts[0] === 'P'
      ? { ...common, procedureCode: parts[2]!, channel: parts[3] as StatChannel }
      : parts[0] === 'U' || parts[0] === 'V'
        ? { ...common, branch: parts[2]!, channel: parts[3] as StatChannel }
        : { ...common, channel: parts[2] as StatChannel };
  const counters: Counters = {};
  for (const name of statCounters) {
    if (typeof item[name] === 'number') counters[name] = item[name] as number;
  }
  return { row, counters };
}

export function dynamoStatistics(
  client: DynamoDBDocumentClient,
  tableName: string,
  markOptions: MarkOptions = {},
): StatisticsStore {
  const addUpdate = (row: CounterRow, counters: Counters) => {
    const entries = Object.entries(counters).filter(([, v]) => v !== 0);
    return {
      Update: {
        TableName: tableName,
        Key: counterKey(row),
        UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:c${i}`, value])),
      },
    };
  };

  return {
    async profile(code) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: profileKey(code), ConsistentRead: true }),
      );
      return Item ? ({ profile: Item.data, rev: Item.rev } as StoredProfile) : undefined;
    },

    async read(codes, consumer, eventIds) {
      const items = await batchGetAll(
        client,
        tableName,
        [...codes.map(profileKey), ...eventIds.map((id) => consumedMarkKey(consumer, id))],
        { consistent: true },
      );
      const profiles = new Map<string, StoredProfile>();
      const counted = new Set<string>();
      for (const item of items) {
        if (item.entity === 'consumed') counted.add(item.eventId as string);
        else {
          const stored = { profile: item.data, rev: item.rev } as StoredProfile;
          profiles.set(stored.profile.code, stored);
        }
      }
      return { profiles, counted };
    },

    async apply(change, marks) {
      const adds = change.adds.filter((a) => Object.values(a.counters).some((v) => v !== 0));
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              ...marks.map((mark) => consumedMarkPut(tableName, mark, markOptions)),
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...profileKey(change.code),
                    entity: 'stats-profile',
                    data: change.profile,
                    rev: (change.rev ?? 0) + 1,
                  },
                  ...(change.rev === undefined
                    ? { ConditionExpression: 'attribute_not_exists(pk)' }
                    : {
                        ConditionExpression: 'rev = :rev',
                        ExpressionAttributeValues: { ':rev': change.rev },
                      }),
                },
              },
              ...adds.map((a) => addUpdate(a.row, a.counters)),
            ],
          }),
        );
        return 'applied';
      } catch (error) {
        const failed = failedConditions(error);
        if (failed?.some((i) => i < marks.length)) return 'duplicate';
        if (failed?.includes(marks.length)) throw new ProfileMovedError(change.code);
        throw error;
      }
    },

    async rows(unit, from, to, level) {
      const prefix = levelPrefix[level];
      const shards = await Promise.all(
        Array.from({ length: STAT_SHARDS }, async (_, shard) => {
          const items: Record<string, unknown>[] = [];
          let start: Record<string, unknown> | undefined;
          do {
            const out = await client.send(
              new QueryCommand({
                TableName: tableName,
                KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
                ExpressionAttributeValues: {
                  ':pk': partition(unit, shard),
                  ':from': `${prefix}#${from}`,
                  ':to': `${prefix}#${to}#~`,
                },
                ExclusiveStartKey: start,
              }),
            );
            items.push(...(out.Items ?? []));
            start = out.LastEvaluatedKey;
          } while (start);
          return items;
        }),
      );
      return shards.flat().map(rowOf);
    },

    async overwrite(rows, profiles) {
      const puts = [
        ...rows.map((r) => ({ ...counterKey(r.row), entity: 'stats', ...r.counters })),
        ...profiles.map((p) => ({ ...profileKey(p.code), entity: 'stats-profile', data: p, rev: 1 })),
      ];
      await batchPutAll(client, tableName, puts);
    },
  };
}
