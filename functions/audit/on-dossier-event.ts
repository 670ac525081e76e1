// Every domain event becomes one audit entry, once (the consumed mark is in the entry's transaction): a batch's
// entries are appended together, one transaction per 49 events.
import { auditDeps } from '../../shared/adapters/event-deps';
import { consumer } from '../../shared/events/consumers';
import { onEventBatches } from '../../shared/events/handler';
import { auditEvents } from '../../shared/usecases/audit/append-audit';

const deps = auditDeps();
const { id, events } = consumer('audit-log');

export const handler = onEventBatches(events, (batch) => auditEvents(batch, deps), { consumer: id });
