// Routing on the embedded stack: state transitions per dossier for the two-stage, three-agency under-6 bundle,
// counted from the execution history (with the Step Functions price per 1,000 dossiers), the bundle's end-to-end time
// from counter filing to RESULT_READY with three signed partner decisions, and partner decisions per second.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partnerClient, type TaskSummary } from '../clients/partner/client';
import { demoAccounts, demoBundle, demoPartners } from '../local/demo';
import { startStack } from '../local/stack';
import { executionName } from '../shared/domain/routing';
import { history, sfnClient } from '../tests/fixtures/workflow/client';
import { median } from './stats';

const BUNDLE = demoBundle.procedureCode;
/** Step Functions Standard list price: $0.025 per 1,000 state transitions. */
const USD_PER_TRANSITION = 0.025 / 1000;

export interface RoutingFigures {
  transitions: number;
  usdPer1000Dossiers: number;
  endToEndMs: { first: number; median: number; samples: number };
  decisions: { count: number; inFlight: number; perSecond: number };
  timeScale: number;
}

export async function routingBench(options: { samples: number; decisions: number; inFlight: number }) {
  process.env.LOG_LEVEL ??= 'silent';
  const s3Dir = mkdtempSync(join(tmpdir(), 'motcua-bench-routing-'));
  const stack = await startStack({
    ports: { gateway: 0, dynamodb: 0, s3: 0 },
    s3Dir,
    throttle: { ratePerSecond: 1e9, burst: 1e9 },
    prefix: 'benchrouting',
    pool: { maxInstances: 16 },
    workflowTimeScale: 1,
  });
  try {
    const base = stack.urls.gateway;
    const officer = await stack.issuer.mint(demoAccounts.find((a) => a.username === 'officer.badinh')!);
    const post = async (path: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${officer}`,
          ...(body ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<Record<string, unknown>>;
    };
    const upload = async (requirementId: string) => {
      const bytes = Buffer.from(`%PDF-1.4\n% ${requirementId} ${randomUUID()}\n%%EOF\n`);
      const ticket = (await post('/v1/counter/uploads', {
        procedureCode: BUNDLE,
        requirementId,
        fileName: `${requirementId}.pdf`,
        contentType: 'application/pdf',
        sizeBytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('base64'),
      })) as { uploadId: string; upload: { url: string; headers: Record<string, string> } };
      await fetch(ticket.upload.url, { method: 'PUT', headers: ticket.upload.headers, body: bytes });
      await post(`/v1/uploads/${ticket.uploadId}/complete`);
      return { requirementId, uploadId: ticket.uploadId };
    };
    const file = async () => {
      const documents = [];
      for (const requirementId of demoBundle.documents) documents.push(await upload(requirementId));
      const view = await post('/v1/counter/dossiers', {
        procedureCode: BUNDLE,
        applicant: demoBundle.applicant,
        answers: demoBundle.answers,
        documents,
      });
      return String(view.code);
    };
    const agencies = demoPartners.map((p) => ({
      agency: p.agency,
      client: partnerClient({ baseUrl: base, credentials: p }),
    }));
    const taskOf = async (client: (typeof agencies)[0]['client'], code: string): Promise<TaskSummary> => {
      for (;;) {
        const { items } = await client.listTasks({ limit: 100 });
        const task = items.find((t) => t.dossierCode === code);
        if (task) return task;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const statusOf = async (code: string) => {
      const response = await fetch(`${base}/v1/dossiers/${code}`, {
        headers: { authorization: `Bearer ${officer}` },
      });
      return ((await response.json()) as { status: string }).status;
    };
    // One dossier, counter to RESULT_READY: the ward, then police and social insurance at once.
    const endToEnd = async () => {
      const started = performance.now();
      const code = await file();
      const [ward, police, insurance] = agencies as [
        (typeof agencies)[0],
        (typeof agencies)[0],
        (typeof agencies)[0],
      ];
      await ward.client.decide((await taskOf(ward.client, code)).id, { decision: 'approve' });
      await Promise.all(
        [police, insurance].map(async (a) =>
          a.client.decide((await taskOf(a.client, code)).id, { decision: 'approve' }),
        ),
      );
      while ((await statusOf(code)) !== 'RESULT_READY')
        await new Promise((resolve) => setTimeout(resolve, 20));
      return { code, ms: performance.now() - started };
    };

    const first = await endToEnd();
    const executionArn = `${stack.routingMachineArn.replace(':stateMachine:', ':execution:')}:${executionName(first.code, 1)}`;
    const events = await history(sfnClient(stack.urls.workflow), executionArn);
    const transitions = events.filter((e) => e.type?.endsWith('StateEntered')).length;

    const times: number[] = [];
    for (let i = 0; i < options.samples; i++) times.push((await endToEnd()).ms);

    // Decisions: dossiers waiting on the ward, decided `inFlight` at once. A first round starts the instances (cold
    // starts of the decision, Advance and assign functions, all on this machine's cores); the second is measured.
    const ward = agencies[0]!;
    const decideAll = async (count: number) => {
      const codes = [];
      for (let i = 0; i < count; i++) codes.push(await file());
      const tasks = await Promise.all(codes.map((code) => taskOf(ward.client, code)));
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: options.inFlight }, async () => {
          while (next < tasks.length) await ward.client.decide(tasks[next++]!.id, { decision: 'approve' });
        }),
      );
      return { count: tasks.length, seconds: (performance.now() - started) / 1000 };
    };
    await decideAll(options.inFlight);
    const measured = await decideAll(options.decisions);
    const tasks = { length: measured.count };
    const perSecond = measured.count / measured.seconds;
    return {
      transitions,
      usdPer1000Dossiers: transitions * 1000 * USD_PER_TRANSITION,
      endToEndMs: { first: first.ms, median: median(times), samples: times.length },
      decisions: { count: tasks.length, inFlight: options.inFlight, perSecond },
      timeScale: stack.workflow.timeScale,
    } satisfies RoutingFigures;
  } finally {
    await stack.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  }
}
