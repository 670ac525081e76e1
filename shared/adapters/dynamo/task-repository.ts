// Agency tasks in the dossiers table: `DOSSIER#<code>` / `TASK#<step>#r<round>`, an agency's queue on the
// `byAgencyTask` index, and on `byDueDay` (overloaded, sparse) either the sweep's list of decisions the workflow has
// not heard of (`SWEEP#TASKS`) or, while a task is open, its dossier unit's steps by urgency (`STEPS#<unit>`).
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AgencyTask, parseTaskId } from '../../domain/tasks';
import { ConflictError } from '../../errors';
import type { TaskRepository, TaskWrite } from '../../ports/task-repository';
import { queryPage } from './pages';

export const taskKey = (dossierCode: string, stepId: string, round: number) => ({
  pk: `DOSSIER#${dossierCode}`,
  sk: `TASK#${stepId}#r${String(round).padStart(4, '0')}`,
});

/** The unit a dossier code names (`<unit>-YYMMDD-NNNN`). */
const unitOfCode = (code: string) => code.replace(/-\d{6}-\d{4,6}$/, '');

/** The partition of a unit's open steps on `byDueDay` (the overdue radar's). */
export const stepsPartition = (unit: string) => `STEPS#${unit}`;

/**
 * A step flagged overdue sorts first (`0#`), whatever its extended due time, then every other open step by due time
 * (`1#<dueAt>`): one key condition (`< 1#<instant>`) reads the overdue ones and those due before an instant.
 */
const stepsSortKey = (task: AgencyTask) => `${task.overdue ? 0 : 1}#${task.dueAt}#${task.id}`;

/** The workflow still has to hear of this task's decision, or of the applicant's supplement for it. */
export function awaitsSending(task: AgencyTask): boolean {
  if (task.decision && !task.sentAt) return true;
  return Boolean(task.supplementToken && task.resumedAt && !task.resumeSentAt);
}

export function taskItem(task: AgencyTask) {
  return {
    ...taskKey(task.dossierCode, task.stepId, task.round),
    entity: 'task',
    gsi4pk: `AGENCY#${task.agency}#${task.status}`,
    gsi4sk: `${task.dueAt}#${task.id}`,
    procedureCode: task.procedure.code,
    // An open task has no decision to send: the two uses of gsi3 never meet on one item (the sweep's would win).
    ...(awaitsSending(task)
      ? { gsi3pk: 'SWEEP#TASKS', gsi3sk: `${task.decision?.at ?? ''}#${task.id}` }
      : task.status === 'open'
        ? { gsi3pk: stepsPartition(unitOfCode(task.dossierCode)), gsi3sk: stepsSortKey(task) }
        : {}),
    data: task,
    version: task.version,
  };
}

/** The Put of a task, conditional on its version (or on its absence). */
export function taskPut(tableName: string, { task, expectedVersion }: TaskWrite) {
  return {
    TableName: tableName,
    Item: taskItem(task),
    ...(expectedVersion === null
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
  };
}

export function dynamoTaskRepository(client: DynamoDBDocumentClient, tableName: string): TaskRepository {
  return {
    async get(id) {
      const parts = parseTaskId(id);
      if (!parts) return undefined;
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: taskKey(parts.dossierCode, parts.stepId, parts.round),
          ConsistentRead: true,
        }),
      );
      return Item?.data as AgencyTask | undefined;
    },

    async put(write) {
      try {
        await client.send(new PutCommand(taskPut(tableName, write)));
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
          throw new ConflictError('The task changed meanwhile; reload and retry', 'VERSION_CONFLICT');
        }
        throw error;
      }
    },

    async listByDossier(dossierCode) {
      const tasks: AgencyTask[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :task)',
            ExpressionAttributeValues: { ':pk': `DOSSIER#${dossierCode}`, ':task': 'TASK#' },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        tasks.push(...(out.Items ?? []).map((item) => item.data as AgencyTask));
        start = out.LastEvaluatedKey;
      } while (start);
      return tasks;
    },

    listByAgency: (agency, status, page) =>
      queryPage<AgencyTask>(client, {
        table: tableName,
        index: 'byAgencyTask',
        partition: { name: 'gsi4pk', value: `AGENCY#${agency}#${status}` },
        ...(page.procedure
          ? { filter: { expression: 'procedureCode = :procedure', values: { ':procedure': page.procedure } } }
          : {}),
        limit: page.limit,
        cursor: page.cursor,
      }),

    listDueSteps: (unit, before, page) =>
      queryPage<AgencyTask>(client, {
        table: tableName,
        index: 'byDueDay',
        partition: { name: 'gsi3pk', value: stepsPartition(unit) },
        sortCondition: { expression: 'gsi3sk < :before', values: { ':before': `1#${before}` } },
        limit: page.limit,
        cursor: page.cursor,
      }),

    listUnsent: (page) =>
      queryPage<AgencyTask>(client, {
        table: tableName,
        index: 'byDueDay',
        partition: { name: 'gsi3pk', value: 'SWEEP#TASKS' },
        limit: page.limit,
        cursor: page.cursor,
      }),
  };
}
