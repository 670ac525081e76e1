// In-memory fake of the dossier repository, with the same conditional-write rules as the DynamoDB adapter.

import type { Dossier, HistoryEntry } from '../../../shared/domain/dossier';
import { isTerminal } from '../../../shared/domain/dossier';
import { formatDossierCode } from '../../../shared/domain/dossier-code';
import type { DomainEvent } from '../../../shared/domain/events';
import type { IssuedReceipt } from '../../../shared/domain/issued-receipts';
import { unsettledPayments } from '../../../shared/domain/payments';
import { registerBook } from '../../../shared/domain/register';
import type { AgencyTask } from '../../../shared/domain/tasks';
import { ConflictError } from '../../../shared/errors';
import type { DossierRepository } from '../../../shared/ports/dossier-repository';
import { IdempotencyRaceError, type IdempotencyStore } from '../../../shared/ports/idempotency-store';
import type { TaskRepository, TaskWrite } from '../../../shared/ports/task-repository';
import type { memoryIdempotency } from './memory-catalogue';

export function memoryDossiers(
  idempotency: ReturnType<typeof memoryIdempotency>,
  /** The receipts in the dossier's collection (memory-receipts.ts), read with it as the one Query reads them. */
  receiptsOf: (code: string) => IssuedReceipt[] = () => [],
) {
  const dossiers = new Map<string, Dossier>();
  const history = new Map<string, HistoryEntry[]>();
  const counters = new Map<string, number>();
  const events: DomainEvent[] = [];
  const tasks = new Map<string, AgencyTask>();
  const paymentRefs = new Map<string, string>();
  const taskConflict = ({ task, expectedVersion }: TaskWrite) =>
    expectedVersion === null ? tasks.has(task.id) : tasks.get(task.id)?.version !== expectedVersion;
  const page = (items: Dossier[]) => ({ items: items.map((d) => structuredClone(d)) });
  const remember = (record?: { id: string }) => {
    if (record && idempotency.records.has(record.id)) throw new IdempotencyRaceError();
  };
  const repository: DossierRepository = {
    async create(unit, day, build) {
      // As the atomic counter: the number is taken before the write, so a failed write leaves a gap.
      const next = (counters.get(`${unit}#${day}`) ?? 0) + 1;
      counters.set(`${unit}#${day}`, next);
      const {
        dossier,
        history: entries,
        idempotency: record,
        events: created = [],
      } = build(formatDossierCode(unit, day, next));
      remember(record);
      events.push(...created);
      dossiers.set(dossier.code, structuredClone(dossier));
      history.set(dossier.code, [...entries]);
      if (record) idempotency.records.set(record.id, record as never);
      return dossier;
    },
    async get(code) {
      const d = dossiers.get(code);
      return d && structuredClone(d);
    },
    async getMany(codes) {
      return new Map(
        codes.flatMap((code) => {
          const d = dossiers.get(code);
          return d ? [[code, structuredClone(d)] as const] : [];
        }),
      );
    },
    async getWithHistory(code) {
      const d = dossiers.get(code);
      return (
        d && {
          dossier: structuredClone(d),
          history: [...(history.get(code) ?? [])],
          receipts: structuredClone(receiptsOf(code)),
        }
      );
    },
    async update({
      dossier,
      expectedVersion,
      entry,
      idempotency: record,
      events: emitted = [],
      tasks: writes = [],
      newPayments = [],
    }) {
      remember(record);
      if (
        dossiers.get(dossier.code)?.version !== expectedVersion ||
        writes.some(taskConflict) ||
        newPayments.some((id) => paymentRefs.has(id))
      )
        throw new ConflictError('changed', 'VERSION_CONFLICT');
      for (const id of newPayments) paymentRefs.set(id, dossier.code);
      for (const write of writes) tasks.set(write.task.id, structuredClone(write.task));
      dossiers.set(dossier.code, structuredClone(dossier));
      history.get(dossier.code)?.push(entry);
      events.push(...emitted);
      if (record) idempotency.records.set(record.id, record as never);
    },
    async dossierOfPayment(paymentId) {
      return paymentRefs.get(paymentId);
    },
    async listByApplicant(key) {
      return page([...dossiers.values()].filter((d) => d.applicantKey === key));
    },
    async listByBranchStatus(unit, status) {
      return page([...dossiers.values()].filter((d) => d.unit === unit && d.status === status));
    },
    async listUnsettledPayments(before) {
      const oldest = (d: Dossier) =>
        unsettledPayments(d.fees)
          .map((p) => p.createdAt)
          .sort()[0];
      return page(
        [...dossiers.values()]
          .filter((d) => oldest(d) !== undefined && oldest(d)! < before)
          .sort((a, b) => oldest(a)!.localeCompare(oldest(b)!)),
      );
    },
    async listReceived(unit, year, from, until) {
      const key = (d: Dossier) => `${d.receivedAt}#${d.code}`;
      return page(
        [...dossiers.values()]
          .filter((d) => d.unit === unit && d.receivedAt && registerBook(unit, d.receivedAt).year === year)
          .filter((d) => key(d) >= from && key(d) <= until)
          .sort((a, b) => key(a).localeCompare(key(b))),
      );
    },
    async countInProgress(unit, today) {
      const running = [...dossiers.values()].filter(
        (d) => d.unit === unit && d.deadline && (d.status === 'RECEIVED' || d.status === 'IN_PROGRESS'),
      );
      const late = running.filter((d) => d.deadline!.appointmentDay < today).length;
      return { onTime: running.length - late, late };
    },
    async listDue(unit, until) {
      return page(
        [...dossiers.values()].filter(
          (d) => d.unit === unit && !isTerminal(d.status) && d.deadline && d.deadline.appointmentDay <= until,
        ),
      );
    },
  };
  const taskRepository: TaskRepository = {
    async get(id) {
      const task = tasks.get(id);
      return task && structuredClone(task);
    },
    async put(write) {
      if (taskConflict(write)) throw new ConflictError('changed', 'VERSION_CONFLICT');
      tasks.set(write.task.id, structuredClone(write.task));
    },
    async listByDossier(code) {
      return [...tasks.values()].filter((t) => t.dossierCode === code).map((t) => structuredClone(t));
    },
    async listByAgency(agency, status, page) {
      const items = [...tasks.values()]
        .filter((t) => t.agency === agency && t.status === status)
        .filter((t) => !page.procedure || t.procedure.code === page.procedure)
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
      return { items: items.map((t) => structuredClone(t)) };
    },
    async listDueSteps(unit, before) {
      const key = (t: AgencyTask) => `${t.overdue ? 0 : 1}#${t.dueAt}#${t.id}`;
      const items = [...tasks.values()]
        .filter((t) => t.status === 'open' && t.dossierCode.startsWith(`${unit}-`))
        .filter((t) => key(t) < `1#${before}`)
        .sort((a, b) => key(a).localeCompare(key(b)));
      return { items: items.map((t) => structuredClone(t)) };
    },
    async listUnsent() {
      const items = [...tasks.values()].filter(
        (t) => (t.decision && !t.sentAt) || (t.supplementToken && t.resumedAt && !t.resumeSentAt),
      );
      return { items: items.map((t) => structuredClone(t)) };
    },
  };
  return {
    repository,
    taskRepository,
    tasks,
    events,
    dossiers,
    idempotency: idempotency as IdempotencyStore,
  };
}
