// Dossiers in DynamoDB: codes from a per-unit daily atomic counter, every multi-item write one transaction.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Dossier, HistoryEntry } from '../../domain/dossier';
import { isTerminal } from '../../domain/dossier';
import { formatDossierCode } from '../../domain/dossier-code';
import type { DomainEvent } from '../../domain/events';
import type { IssuedReceipt } from '../../domain/issued-receipts';
import { unsettledPayments } from '../../domain/payments';
import { registerBook } from '../../domain/register';
import { ConflictError } from '../../errors';
import type { PageRequest } from '../../ports/catalogue-repository';
import type { DossierRepository } from '../../ports/dossier-repository';
import { IdempotencyRaceError } from '../../ports/idempotency-store';
import { batchGetAll } from './batch-get';
import { idempotencyPut } from './idempotency-store';
import { queryKeysPage, queryPage } from './pages';
import { RECEIPT_PREFIX } from './receipt-store';
import { taskPut } from './task-repository';
import { failedConditions } from './transactions';

const metaKey = (code: string) => ({ pk: `DOSSIER#${code}`, sk: 'META' });
const historyKey = (code: string, seq: number) => ({
  pk: `DOSSIER#${code}`,
  sk: `H#${String(seq).padStart(4, '0')}`,
});
/** Points a payment id at its dossier: a provider's callback names only the payment. */
const paymentKey = (paymentId: string) => ({ pk: `PAYMENT#${paymentId}`, sk: 'PAYMENT' });
const counterKey = (unit: string, day: string) => ({ pk: `COUNTER#${unit}#${day}`, sk: 'COUNTER' });

/**
 * Dossiers with a payment awaiting its verdict, by the oldest one's start: what reconciliation asks the provider
 * about. It shares the work-queue index with the agencies' task queues (another partition). One partition for the
 * city: a few thousand payments a day, each writing it a few times, is far below a partition's 1,000 writes a second.
 */
export const UNSETTLED_PAYMENTS = 'PAYMENTS#UNSETTLED';

/** The index keys follow from the dossier; the due-day index is sparse: only open dossiers with an appointment. */
function indexKeys(dossier: Dossier) {
  const sortKey = `${dossier.submittedAt}#${dossier.code}`;
  const open = !isTerminal(dossier.status) && dossier.deadline;
  const unsettled = unsettledPayments(dossier.fees)
    .map((p) => p.createdAt)
    .sort()[0];
  return {
    ...(unsettled ? { gsi4pk: UNSETTLED_PAYMENTS, gsi4sk: `${unsettled}#${dossier.code}` } : {}),
    gsi1pk: `APPLICANT#${dossier.applicantKey}`,
    gsi1sk: sortKey,
    gsi2pk: `BRANCH#${dossier.unit}#${dossier.status}`,
    gsi2sk: sortKey,
    ...(open
      ? { gsi3pk: `DUE#${dossier.unit}`, gsi3sk: `${dossier.deadline!.appointmentDay}#${dossier.code}` }
      : {}),
    // The register (form 07): once received, always in its branch's book of the receipt's year.
    ...(dossier.receivedAt
      ? {
          gsi5pk: registerPartition(dossier.unit, registerBook(dossier.unit, dossier.receivedAt).year),
          gsi5sk: `${dossier.receivedAt}#${dossier.code}`,
        }
      : {}),
  };
}

const registerPartition = (unit: string, year: number) => `REGISTER#${unit}#${year}`;

const metaItem = (dossier: Dossier) => ({
  ...metaKey(dossier.code),
  ...indexKeys(dossier),
  data: dossier,
  version: dossier.version,
});
const historyItem = (code: string, entry: HistoryEntry) => ({ ...historyKey(code, entry.seq), data: entry });

/** An event is an item of its dossier's collection: the table's stream carries it to the consumers. */
export const eventKey = (event: DomainEvent) => ({
  pk: `DOSSIER#${event.dossierCode}`,
  sk: `EVENT#${String(event.dossierVersion).padStart(6, '0')}#${event.name}`,
});

/** A number allocated but never used: its filing's transaction failed. The register shows it as void. */
const voidKey = (unit: string, day: string, seq: number) => ({
  pk: counterKey(unit, day).pk,
  sk: `VOID#${String(seq).padStart(6, '0')}`,
});

// A code already taken can only mean a counter behind its dossiers (restored from an older backup): skip ahead.
const MAX_TAKEN_CODES = 5;

export function dynamoDossierRepository(
  client: DynamoDBDocumentClient,
  tableName: string,
  idempotencyTable: () => string,
): DossierRepository {
  // Written once: a redelivered write of the same event is refused rather than duplicated.
  const eventPut = (event: DomainEvent) => ({
    Put: {
      TableName: tableName,
      Item: { ...eventKey(event), entity: 'event', event },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  // Keys-only indexes (shared/data/resources.ts): a dossier is listed only while its current item still has the
  // index key the entry was found under.
  const byIndex = (
    index: string,
    name: 'gsi1pk' | 'gsi2pk',
    value: string,
    page: PageRequest,
    forward: boolean,
  ) =>
    queryKeysPage<Dossier>(
      client,
      { table: tableName, index, partition: { name, value }, forward, ...page },
      (dossier) => indexKeys(dossier)[name] === value,
    );

  async function allocate(unit: string, day: string): Promise<number> {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: counterKey(unit, day),
        UpdateExpression: 'ADD #last :one',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Attributes!.last as number;
  }

  // Best effort: the number stays unused either way, the marker only explains the gap.
  async function recordVoid(unit: string, day: string, seq: number, reason: string) {
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...voidKey(unit, day, seq), entity: 'void-code', reason, at: new Date().toISOString() },
        }),
      );
    } catch {
      // The filing's own error is what the caller needs to see.
    }
  }

  return {
    // Two calls whatever the contention: one atomic increment of the unit's daily counter, whose value names the
    // dossier, then one transaction of everything the filing writes. Concurrent filings never retry each other.
    async create(unit, day, build) {
      for (let taken = 0; ; taken += 1) {
        const seq = await allocate(unit, day);
        const code = formatDossierCode(unit, day, seq);
        const { dossier, history, idempotency, events = [] } = build(code);
        try {
          await client.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: metaItem(dossier),
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                ...history.map((entry) => ({
                  Put: { TableName: tableName, Item: historyItem(code, entry) },
                })),
                ...(idempotency ? [idempotencyPut(idempotencyTable(), idempotency)] : []),
                ...events.map(eventPut),
              ],
            }),
          );
          return dossier;
        } catch (error) {
          const failed = failedConditions(error);
          const codeTaken = failed?.includes(0) ?? false;
          await recordVoid(unit, day, seq, codeTaken ? 'code-taken' : 'filing-failed');
          if (idempotency && failed?.includes(1 + history.length)) throw new IdempotencyRaceError();
          if (codeTaken && taken < MAX_TAKEN_CODES) continue;
          throw error;
        }
      }
    },

    // Strongly consistent: a move or a form download right after another move must see it.
    async get(code) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: metaKey(code), ConsistentRead: true }),
      );
      return Item?.data as Dossier | undefined;
    },

    async getMany(codes) {
      const items = await batchGetAll(client, tableName, codes.map(metaKey), { consistent: true });
      return new Map(items.map((item) => [(item.data as Dossier).code, item.data as Dossier]));
    },

    // One Query for the dossier, its history and its receipts (one page unless the history outgrows 1 MB).
    async getWithHistory(code) {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `DOSSIER#${code}` },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      const meta = items.find((item) => item.sk === 'META');
      if (!meta) return undefined;
      const history = items
        .filter((item) => String(item.sk).startsWith('H#'))
        .map((item) => item.data as HistoryEntry);
      const receipts = items
        .filter((item) => String(item.sk).startsWith(RECEIPT_PREFIX))
        .map((item) => item.data as IssuedReceipt)
        .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
      return { dossier: meta.data as Dossier, history, receipts };
    },

    async dossierOfPayment(paymentId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: paymentKey(paymentId), ConsistentRead: true }),
      );
      return Item ? String(Item.dossierCode) : undefined;
    },

    async update({
      dossier,
      expectedVersion,
      entry,
      idempotency,
      events = [],
      tasks = [],
      newPayments = [],
    }) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: metaItem(dossier),
                  ConditionExpression: '#v = :v',
                  ExpressionAttributeNames: { '#v': 'version' },
                  ExpressionAttributeValues: { ':v': expectedVersion },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: historyItem(dossier.code, entry),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              ...(idempotency ? [idempotencyPut(idempotencyTable(), idempotency)] : []),
              ...events.map(eventPut),
              ...tasks.map((write) => ({ Put: taskPut(tableName, write) })),
              ...newPayments.map((paymentId) => ({
                Put: {
                  TableName: tableName,
                  Item: { ...paymentKey(paymentId), entity: 'payment-ref', dossierCode: dossier.code },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              })),
            ],
          }),
        );
      } catch (error) {
        const failed = failedConditions(error);
        if (idempotency && failed?.includes(2)) throw new IdempotencyRaceError();
        const firstTask = 2 + (idempotency ? 1 : 0) + events.length;
        // A task's version, or (vanishingly rare) a payment id already taken: reload and retry with a new one.
        if (failed?.includes(0) || failed?.includes(1) || failed?.some((i) => i >= firstTask)) {
          throw new ConflictError('The dossier changed meanwhile; reload and retry', 'VERSION_CONFLICT');
        }
        throw error;
      }
    },

    listByApplicant: (applicantKey, page) =>
      byIndex('byApplicant', 'gsi1pk', `APPLICANT#${applicantKey}`, page, false),
    listByBranchStatus: (unit, status, page) =>
      byIndex('byBranchStatus', 'gsi2pk', `BRANCH#${unit}#${status}`, page, true),
    listUnsettledPayments: (startedBefore, page) =>
      queryPage<Dossier>(client, {
        table: tableName,
        index: 'byAgencyTask',
        partition: { name: 'gsi4pk', value: UNSETTLED_PAYMENTS },
        sortCondition: { expression: 'gsi4sk < :before', values: { ':before': startedBefore } },
        ...page,
      }),
    // `from` inclusive, `until` exclusive: a sort key is `<receivedAt>#<code>`, so one at `until` sorts after it.
    listReceived: (unit, year, from, until, page) =>
      queryPage<Dossier>(client, {
        table: tableName,
        index: 'byBranchReceipt',
        partition: { name: 'gsi5pk', value: registerPartition(unit, year) },
        sortCondition: {
          expression: 'gsi5sk BETWEEN :from AND :until',
          values: { ':from': from, ':until': until },
        },
        ...page,
      }),
    async countInProgress(unit, today) {
      const count = async (sortCondition: string) => {
        let total = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const out = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: 'byDueDay',
              KeyConditionExpression: `gsi3pk = :pk AND ${sortCondition}`,
              // The index holds every open dossier with a deadline; the clock runs only while received or in progress.
              FilterExpression: '#data.#status IN (:received, :inProgress)',
              ExpressionAttributeNames: { '#data': 'data', '#status': 'status' },
              ExpressionAttributeValues: {
                ':pk': `DUE#${unit}`,
                ':today': `${today}#`,
                ':received': 'RECEIVED',
                ':inProgress': 'IN_PROGRESS',
              },
              Select: 'COUNT',
              ExclusiveStartKey: start,
            }),
          );
          total += out.Count ?? 0;
          start = out.LastEvaluatedKey;
        } while (start);
        return total;
      };
      const [late, onTime] = await Promise.all([count('gsi3sk < :today'), count('gsi3sk >= :today')]);
      return { onTime, late };
    },
    listDue: (unit, untilDay, page) =>
      queryPage<Dossier>(client, {
        table: tableName,
        index: 'byDueDay',
        partition: { name: 'gsi3pk', value: `DUE#${unit}` },
        sortCondition: { expression: 'gsi3sk <= :until', values: { ':until': `${untilDay}#~` } },
        ...page,
      }),
  };
}
