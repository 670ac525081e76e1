// Every domain event becomes one audit entry, once (the consumed mark is in the entry's transaction).
import { auditDeps } from '../../shared/adapters/event-deps';
import { consumer } from '../../shared/events/consumers';
import { onEvents } from '../../shared/events/handler';
import { auditEvent } from '../../shared/usecases/audit/append-audit';

const deps = auditDeps();
const { id, events } = consumer('audit-log');

export const handler = onEvents(events, (event) => auditEvent(event, deps), { consumer: id });
