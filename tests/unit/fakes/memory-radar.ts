// In-memory fake of what the overdue radar reads: the byDueDay index's `DUE#<unit>` dossiers and `STEPS#<unit>` open
// steps, in index order, a page at a time with opaque cursors (as the DynamoDB adapters page), counting the Queries.
import { encodeCursor } from '../../../shared/cursor';
import type { Dossier } from '../../../shared/domain/dossier';
import { isTerminal } from '../../../shared/domain/dossier';
import type { AgencyTask } from '../../../shared/domain/tasks';
import type { DossierRepository } from '../../../shared/ports/dossier-repository';
import type { TaskRepository } from '../../../shared/ports/task-repository';

function paged<T>(sorted: { key: string; item: T }[], limit: number, cursor?: string) {
  const after = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { sk: string }).sk : '';
  const rest = sorted.filter((entry) => entry.key > after);
  const page = rest.slice(0, limit);
  return {
    items: page.map((entry) => structuredClone(entry.item)),
    ...(rest.length > limit ? { nextCursor: encodeCursor({ sk: page.at(-1)!.key }) } : {}),
  };
}

export function memoryRadarIndex() {
  const dossiers = new Map<string, Dossier>();
  const tasks = new Map<string, AgencyTask>();
  /** Queries by partition, e.g. `DUE#000.02.01.H26`: what a radar read, and that it read nothing else. */
  const queries: string[] = [];
  const unitOf = (code: string) => code.replace(/-\d{6}-\d{4,6}$/, '');

  const dossierIndex: Pick<DossierRepository, 'listDue' | 'countInProgress'> = {
    async countInProgress(unit, today) {
      queries.push(`COUNT DUE#${unit}`);
      const running = [...dossiers.values()].filter(
        (d) => d.unit === unit && d.deadline && (d.status === 'RECEIVED' || d.status === 'IN_PROGRESS'),
      );
      const late = running.filter((d) => d.deadline!.appointmentDay < today).length;
      return { onTime: running.length - late, late };
    },
    async listDue(unit, untilDay, page) {
      queries.push(`DUE#${unit}`);
      const sorted = [...dossiers.values()]
        .filter((d) => d.unit === unit && !isTerminal(d.status) && d.deadline)
        .map((d) => ({ key: `${d.deadline!.appointmentDay}#${d.code}`, item: d }))
        .filter((entry) => entry.key <= `${untilDay}#~`)
        .sort((a, b) => a.key.localeCompare(b.key));
      return paged(sorted, page.limit, page.cursor);
    },
  };
  const taskIndex: Pick<TaskRepository, 'listDueSteps'> = {
    async listDueSteps(unit, before, page) {
      queries.push(`STEPS#${unit}`);
      const sorted = [...tasks.values()]
        .filter((t) => t.status === 'open' && unitOf(t.dossierCode) === unit)
        .map((t) => ({ key: `${t.overdue ? 0 : 1}#${t.dueAt}#${t.id}`, item: t }))
        .filter((entry) => entry.key < `1#${before}`)
        .sort((a, b) => a.key.localeCompare(b.key));
      return paged(sorted, page.limit, page.cursor);
    },
  };
  return {
    dossiers: dossierIndex,
    tasks: taskIndex,
    queries,
    putDossier: (dossier: Dossier) => dossiers.set(dossier.code, structuredClone(dossier)),
    putTask: (task: AgencyTask) => tasks.set(task.id, structuredClone(task)),
  };
}
