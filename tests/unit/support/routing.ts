// A received under-6 bundle dossier over in-memory fakes, with a recording workflow starter: the routing unit tests'
// starting point.
import { domainEvent } from '../../../shared/domain/events';
import type { AgencyNotice } from '../../../shared/ports/agency-notices';
import type {
  CallbackOutcome,
  RoutingInput,
  WorkflowCallbacks,
  WorkflowStarter,
} from '../../../shared/ports/workflow';
import { advanceRoute } from '../../../shared/usecases/routing/advance-route';
import { assignStep } from '../../../shared/usecases/routing/assign-step';
import type { RoutingDeps } from '../../../shared/usecases/routing/deps';
import { startRouting } from '../../../shared/usecases/routing/start-routing';
import { memoryCatalogue } from '../fakes/memory-catalogue';
import { memoryDossiers } from '../fakes/memory-dossiers';
import { asVersions } from '../fixtures';
import { birthDossier } from './dossier';

// The under-6 bundle (2.002621): the commune's justice step, then residence and health insurance side by side.
export const BUNDLE = '2.002621';
// Wednesday 25 Nov 2026, 10:00 in Hanoi.
export const now = new Date('2026-11-25T03:00:00Z');

export async function setup() {
  const catalogue = memoryCatalogue();
  for (const p of asVersions()) await catalogue.repository.publish(p, 'seed');
  const dossiers = memoryDossiers(catalogue.idempotency);
  const received = {
    ...birthDossier(),
    procedure: { code: BUNDLE, version: 1, name: { vi: 'Liên thông', en: 'Bundle' }, processingDays: 5 },
  };
  dossiers.dossiers.set(received.code, structuredClone(received));
  const runs = new Map<string, RoutingInput>();
  const starts: string[] = [];
  const workflow: WorkflowStarter = {
    async start(name, input) {
      starts.push(name);
      const earlier = runs.get(name);
      if (earlier && JSON.stringify(earlier) !== JSON.stringify(input))
        throw new Error('ExecutionAlreadyExists');
      runs.set(name, input);
      // As StartExecution: the open run of this name and input is answered as started.
      return 'started';
    },
  };
  const deps: RoutingDeps = {
    dossiers: dossiers.repository,
    catalogue: catalogue.repository,
    workflow,
    clock: () => now,
    timeScale: 1,
  };
  const received_event = domainEvent(
    'DossierReceived',
    {
      unit: received.unit,
      procedureCode: BUNDLE,
      procedureVersion: 1,
      channel: 'online',
      appointmentDay: '2026-12-02',
      applicantKey: received.applicantKey,
      documents: [],
    },
    { dossierCode: received.code, dossierVersion: received.version, at: now, caller: { kind: 'officer' } },
  );
  return { deps, dossiers, code: received.code, event: received_event, runs, starts };
}

/** Workflow callbacks that record what they were told, or fail as a network outage would. */
export function recordingCallbacks(fail = false) {
  const sent: { token: string; kind: string; error?: string }[] = [];
  const callbacks: WorkflowCallbacks = {
    async succeed(token): Promise<CallbackOutcome> {
      if (fail) throw new Error('network down');
      sent.push({ token, kind: 'success' });
      return 'sent';
    },
    async fail(token, error): Promise<CallbackOutcome> {
      if (fail) throw new Error('network down');
      sent.push({ token, kind: 'failure', error });
      return 'sent';
    },
  };
  return { sent, callbacks };
}

/** The under-6 bundle routed and its first step (the ward's) assigned with token-1; the notices it produced. */
export async function routedToWard() {
  const base = await setup();
  await startRouting(base.event, base.deps);
  const first = await advanceRoute({ dossierCode: base.code, attempt: 1, next: 0 }, base.deps);
  if (first.done) throw new Error('a stage was expected');
  const notices: AgencyNotice[] = [];
  const taskDeps = {
    dossiers: base.dossiers.repository,
    tasks: base.dossiers.taskRepository,
    clock: base.deps.clock,
    timeScale: 1,
    notify: async (notice: AgencyNotice) => void notices.push(notice),
  };
  const input = { dossierCode: base.code, attempt: 1, stage: 0, step: first.steps[0]! };
  const { task } = await assignStep({ ...input, taskToken: 'token-1' }, taskDeps);
  return { ...base, taskDeps, input, task, notices };
}
