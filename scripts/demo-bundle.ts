// `npm run demo:bundle [-- <procedure code>]`: takes an interconnected bundle from counter filing to RESULT_READY on
// the running embedded stack (`npm start`): an officer files it at the Ba Đình branch, the workflow routes it, and each
// agency of its route finds its task and approves it through signed partner calls. Prints every step: who, what, when,
// status (DEMO_DECIDE=none stops once the first agency has its task). Default: the under-6 birth + residence + health-insurance bundle (2.002621); 2.002622 is the death bundle.
import { createHash, randomUUID } from 'node:crypto';
import { partnerClient, type TaskSummary } from '../clients/partner/client';
import { demoPartners } from '../local/demo';

const base = process.env.MOTCUA_URL ?? 'http://localhost:3000';
const code = process.argv[2] ?? '2.002621';
const started = performance.now();
const clock = () => `${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s`;
const say = (who: string, what: string, status?: string) =>
  console.log(`${clock()}  ${who.padEnd(34)} ${what}${status ? `  → ${status}` : ''}`);

async function api<T>(
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined
        ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() }
        : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  }).catch(() => {
    throw new Error(`cannot reach ${base}: is \`npm start\` running?`);
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

type Question = { id: string; type: string; required?: boolean; options?: string[] };
type Procedure = {
  name: { vi: string };
  requiredDocuments: { id: string; name: { vi: string } }[];
  questions?: Question[];
  route: { steps: { agency: string; task: { vi: string } }[] }[];
};

function sampleAnswer(question: Question): string | number | boolean {
  if (question.options?.length) return question.options[0]!;
  if (question.type === 'date') return '2026-11-20';
  if (question.type === 'number') return 1;
  if (question.type === 'boolean') return true;
  return `Mẫu ${question.id}`;
}

async function main() {
  const officer = (
    await api<{ id_token: string }>('/local-idp/token', {
      method: 'POST',
      body: { username: 'officer.badinh' },
    })
  ).id_token;
  const procedure = await api<Procedure>(`/v1/procedures/${code}`);
  say('—', `${code} ${procedure.name.vi.slice(0, 80)}`);
  say(
    '—',
    `route: ${procedure.route.map((stage) => stage.steps.map((s) => s.agency).join(' + ')).join(' → ')}`,
  );

  const documents = [];
  for (const requirement of procedure.requiredDocuments) {
    const bytes = Buffer.from(`%PDF-1.4\n% ${requirement.id} ${randomUUID()}\n%%EOF\n`);
    const ticket = await api<{ uploadId: string; upload: { url: string; headers: Record<string, string> } }>(
      '/v1/counter/uploads',
      {
        method: 'POST',
        token: officer,
        body: {
          procedureCode: code,
          requirementId: requirement.id,
          fileName: `${requirement.id}.pdf`,
          contentType: 'application/pdf',
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('base64'),
        },
      },
    );
    const put = await fetch(ticket.upload.url, {
      method: 'PUT',
      headers: ticket.upload.headers,
      body: bytes,
    });
    if (!put.ok) throw new Error(`upload of ${requirement.id}: ${put.status}`);
    await api(`/v1/uploads/${ticket.uploadId}/complete`, { method: 'POST', token: officer });
    documents.push({ requirementId: requirement.id, uploadId: ticket.uploadId });
  }
  say('officer.badinh (Ba Đình branch)', `digitized ${documents.length} documents`);
  const filed = await api<{ code: string; status: string }>('/v1/counter/dossiers', {
    method: 'POST',
    token: officer,
    body: {
      procedureCode: code,
      applicant: { fullName: 'Trần Thị Bình', citizenId: '001185054321' },
      answers: Object.fromEntries((procedure.questions ?? []).map((q) => [q.id, sampleAnswer(q)])),
      documents,
    },
  });
  say('officer.badinh (Ba Đình branch)', `filed ${filed.code} at the counter, form 01 issued`, filed.status);

  const clients = new Map(
    demoPartners.map((p) => [
      p.agency,
      { name: p.name, client: partnerClient({ baseUrl: base, credentials: p }) },
    ]),
  );
  const decided = new Set<string>();
  // DEMO_DECIDE=none files and waits for the first task, then leaves the deciding to you (`npm run partner`).
  const decide = process.env.DEMO_DECIDE !== 'none';
  for (;;) {
    const dossier = await api<{ status: string }>(`/v1/dossiers/${filed.code}`, { token: officer });
    if (['RESULT_READY', 'REJECTED', 'STOPPED'].includes(dossier.status)) {
      say('workflow', `route ended`, dossier.status);
      say('—', `form 06 (every hand-off): ${base}/v1/dossiers/${filed.code}/forms/06 (as officer.badinh)`);
      console.log(`\nEnd to end: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return;
    }
    const open: { agency: string; task: TaskSummary }[] = [];
    for (const [agency, { client }] of clients) {
      const { items } = await client.listTasks({ procedure: code, limit: 100 });
      for (const task of items)
        if (task.dossierCode === filed.code && !decided.has(task.id)) open.push({ agency, task });
    }
    if (!decide && open.length > 0) {
      for (const { agency, task } of open)
        say(clients.get(agency)!.name, `has task ${task.id}`, dossier.status);
      return;
    }
    await Promise.all(
      open.map(async ({ agency, task }) => {
        const { name, client } = clients.get(agency)!;
        decided.add(task.id);
        say(name, `got task ${task.stepId} “${task.task}”, due ${task.dueAt}`, dossier.status);
        await client.getTask(task.id);
        const answer = await client.decide(task.id, { decision: 'approve', note: 'Đã giải quyết' });
        say(
          name,
          `approved ${task.stepId} (signed SigV4 call)${answer.delivered ? '' : ', workflow told by the sweep'}`,
        );
      }),
    );
    if (open.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    if (performance.now() - started > 120_000)
      throw new Error(`${filed.code} is still ${dossier.status} after 2 minutes`);
  }
}

main().catch((error) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
