// One dossier's whole life through the public API, as its people do it: the citizen files online (or an officer at
// the counter), the branch officer receives it, the citizen pays what it owes on the provider's checkout page, each
// agency of the procedure's route decides its task through the signed partner API, and the result is returned (the
// citizen downloads it, or the officer posts it or hands it over at the counter), then the citizen rates it.
// `npm run demo` prints one such life; `npm run bench:day` runs thousands at once.
import { createHash } from 'node:crypto';
import { demoAccounts } from '../../local/demo';
import type { AgencyDesk } from './agencies';
import { payAtCheckout } from './checkout';
import type { MotcuaApi } from './http';

export type Channel = 'online' | 'counter';
export type ReturnMethod = 'download' | 'post' | 'counter';

export interface DossierPlan {
  procedureCode: string;
  channel: Channel;
  /** The applicant's demo account (`citizen.an`, `citizen.binh`): files online, pays, downloads, rates. */
  citizen: string;
  /** The officer of the receiving branch (files at their counter, receives, returns). */
  officer: string;
  returnBy: ReturnMethod;
  rating?: { score: number; comment?: string };
}

/** What the procedure's public page says that a filing needs. */
export interface ProcedureView {
  code: string;
  name: { vi: string; en: string };
  requiredDocuments: { id: string; mandatory: boolean }[];
  questions?: { id: string; type: string; required?: boolean; options?: string[] }[];
  route: { steps: { agency: string; task: { vi: string; en: string } }[] }[];
}

interface HistoryEntry {
  seq: number;
  action: string;
  to: string;
}

export interface DossierView {
  code: string;
  lookupKey: string;
  status: string;
  unit: string;
  channel: Channel;
  deadline?: { appointmentDay: string };
  fees?: {
    totalVnd: number;
    paidVnd: number;
    outstandingVnd: number;
    awaitingPayment: boolean;
    dueWhen: 'before-processing' | 'before-release' | 'none';
  };
  forms: { form: string }[];
  rating?: { score: number };
  result?: { kind: string; returned?: { method: string } };
  receipts?: { number: string; series: string }[];
  history?: HistoryEntry[];
}

/** One step as it happened: who did what, and the dossier's status after it when known. */
export interface LifeStep {
  actor: string;
  what: string;
  status?: string;
  /** On the filing step: the code the API answered. */
  code?: string;
}

export interface LifeContext {
  api: MotcuaApi;
  agencies: AgencyDesk;
  /** Procedures by code, read once from the public catalogue. */
  procedure(code: string): Promise<ProcedureView>;
  /** Read the dossier after steps whose answer does not carry its status (the demo); off in the bench. */
  observe?: boolean;
  /** How long to wait for the route to end (default 2 minutes). */
  timeoutMs?: number;
}

export interface LifeOutcome {
  code: string;
  lookupKey: string;
  plan: DossierPlan;
  paidVnd: number;
  /** Agency tasks decided: `s<stage>-<n>` and task id. */
  tasks: { stepId: string; id: string; agency: string }[];
  status: string;
}

export function catalogueReader(api: MotcuaApi) {
  const cache = new Map<string, Promise<ProcedureView>>();
  return (code: string) => {
    let found = cache.get(code);
    if (!found) {
      found = api.get<ProcedureView>(`/v1/procedures/${code}`);
      cache.set(code, found);
    }
    return found;
  };
}

export const accountOf = (username: string) => {
  const account = demoAccounts.find((a) => a.username === username);
  if (!account) throw new Error(`no demo account ${username}`);
  return account;
};

/** The applicant as the forms name them: the citizen's name and CCCD, and where notifications reach them. */
export function applicantOf(citizen: string) {
  const account = accountOf(citizen);
  const n = demoAccounts.indexOf(account);
  return {
    fullName: account.name,
    citizenId: account.cccd!,
    phone: `09123456${String(70 + n).slice(-2)}`,
    email: `${citizen.replace('.', '-')}@motcua.local.test`,
  };
}

/** Answers a clerk would type: the first option of a choice, a date, `false` for the yes/no conditions. */
export function sampleAnswers(procedure: ProcedureView): Record<string, string | number | boolean> {
  const answers: Record<string, string | number | boolean> = {};
  for (const question of procedure.questions ?? []) {
    if (!question.required) continue;
    if (question.options?.length) answers[question.id] = question.options[0]!;
    else if (question.type === 'date') answers[question.id] = '2026-11-20';
    else if (question.type === 'number') answers[question.id] = 1;
    else if (question.type === 'boolean') answers[question.id] = false;
    else answers[question.id] = `Mẫu ${question.id}`;
  }
  return answers;
}

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface UploadTicket {
  uploadId: string;
  upload: { url: string; headers: Record<string, string> };
}

/** Declares each mandatory document, PUTs its bytes to the presigned URL and has the server verify them. */
async function uploadDocuments(
  api: MotcuaApi,
  as: string,
  procedure: ProcedureView,
  atCounter: boolean,
): Promise<{ requirementId: string; uploadId: string }[]> {
  const mandatory = procedure.requiredDocuments.filter((d) => d.mandatory);
  return Promise.all(
    mandatory.map(async ({ id: requirementId }) => {
      const bytes = pdf(`${requirementId} ${Math.random()}`);
      const ticket = await api.post<UploadTicket>(atCounter ? '/v1/counter/uploads' : '/v1/uploads', {
        as,
        body: {
          procedureCode: procedure.code,
          requirementId,
          fileName: `${requirementId}.pdf`,
          contentType: 'application/pdf',
          sizeBytes: bytes.length,
          sha256: sha256(bytes),
        },
      });
      api.counts.s3 += 1;
      const put = await fetch(ticket.upload.url, {
        method: 'PUT',
        headers: ticket.upload.headers,
        body: bytes,
      });
      if (!put.ok) throw new Error(`upload of ${requirementId} answered ${put.status}`);
      await api.post(`/v1/uploads/${ticket.uploadId}/complete`, { as });
      return { requirementId, uploadId: ticket.uploadId };
    }),
  );
}

/** Reads the dossier until its status is one of `wanted`, backing off from 100 ms to 1 s. */
export function waitForStatus(
  api: MotcuaApi,
  as: string,
  code: string,
  wanted: readonly string[],
  timeoutMs = 120_000,
): Promise<DossierView> {
  return waitFor(api, as, code, (view) => wanted.includes(view.status), wanted.join('/'), timeoutMs);
}

/** Polls the dossier until `done` holds of it. */
async function waitFor(
  api: MotcuaApi,
  as: string,
  code: string,
  done: (view: DossierView) => boolean,
  what: string,
  timeoutMs = 120_000,
): Promise<DossierView> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 100; ; pause = Math.min(1_000, pause * 1.5)) {
    const view = await api.get<DossierView>(`/v1/dossiers/${code}`, { as, poll: true });
    if (done(view)) return view;
    if (Date.now() > deadline) throw new Error(`${code} is ${view.status}, still not ${what}`);
    await sleep(pause);
  }
}

const money = (vnd: number) => `${vnd.toLocaleString('vi-VN')} ₫`;

/** A life that stopped: the code when the filing was answered (so it can be read back), and why. */
export class LifeError extends Error {
  constructor(
    readonly plan: DossierPlan,
    readonly code: string | undefined,
    readonly after: string | undefined,
    override readonly cause: unknown,
  ) {
    super(
      `${code ?? 'unfiled dossier'} after “${after ?? 'nothing'}”: ${(cause as Error)?.message ?? cause}`,
    );
  }
}

/** Takes one dossier through its whole life; `report` hears each step as it happens. */
export async function liveDossier(
  plan: DossierPlan,
  context: LifeContext,
  report: (step: LifeStep) => void = () => undefined,
): Promise<LifeOutcome> {
  let code: string | undefined;
  let after: string | undefined;
  try {
    return await live(plan, context, (step) => {
      after = step.what;
      code ??= step.code;
      report(step);
    });
  } catch (error) {
    throw new LifeError(plan, code, after, error);
  }
}

async function live(plan: DossierPlan, context: LifeContext, report: (step: LifeStep) => void) {
  const { api, agencies } = context;
  const { citizen, officer } = plan;
  const procedure = await context.procedure(plan.procedureCode);
  const applicant = applicantOf(citizen);
  const statusNow = async (code: string) =>
    context.observe
      ? (await api.get<DossierView>(`/v1/dossiers/${code}`, { as: officer, poll: true })).status
      : undefined;

  // Intake: filed online and received by the branch officer, or filed complete at the counter (RECEIVED at once).
  const online = plan.channel === 'online';
  const filer = online ? citizen : officer;
  const documents = await uploadDocuments(api, filer, procedure, !online);
  report({
    actor: filer,
    what: `${online ? 'uploaded' : 'digitized'} ${documents.length} documents (presigned PUT to S3, verified by SHA-256)`,
  });
  const filing = { procedureCode: procedure.code, applicant, answers: sampleAnswers(procedure), documents };
  let view = online
    ? await api.post<DossierView>('/v1/dossiers', {
        as: citizen,
        body: { ...filing, unit: accountOf(officer).branch },
      })
    : await api.post<DossierView>('/v1/counter/dossiers', { as: officer, body: filing });
  const { code, lookupKey } = view;
  report({
    actor: filer,
    what: `filed ${code} ${online ? 'online' : 'at the counter, form 01 issued'} (${procedure.code} ${procedure.name.vi.slice(0, 60)})`,
    status: view.status,
    code,
  });
  if (online) {
    if (context.observe) {
      const queue = await api.get<{ items: { code: string }[] }>(
        '/v1/branch/dossiers?status=SUBMITTED&limit=100',
        {
          as: officer,
          poll: true,
        },
      );
      const found = queue.items.some((item) => item.code === code);
      report({
        actor: officer,
        what: `${found ? 'found' : 'did not find'} ${code} in the branch's SUBMITTED queue (${queue.items.length} on its first page)`,
      });
    }
    view = await api.post<DossierView>(`/v1/dossiers/${code}/receive`, { as: officer });
    report({
      actor: officer,
      what: `received ${code}, appointment day ${view.deadline?.appointmentDay}, form 01 issued`,
      status: view.status,
    });
  }

  // The citizen pays on the provider's page: fees due before processing now (the dossier waits, received), fees due
  // before release once the result is ready (it is held until then).
  let paidVnd = 0;
  const payFees = async (current: DossierView, when: string) => {
    const { payment } = await api.post<{ payment: { id: string; amountVnd: number; redirectUrl: string } }>(
      `/v1/dossiers/${code}/payments`,
      { as: citizen, body: { locale: 'vi' } },
    );
    report({
      actor: citizen,
      what: `opened payment ${payment.id} for ${money(payment.amountVnd)} ${when} (awaiting payment: ${current.fees?.awaitingPayment})`,
    });
    await payAtCheckout(api, payment.redirectUrl);
    paidVnd += payment.amountVnd;
    report({
      actor: 'VNPay sandbox',
      what: `checkout approved, signed IPN sent to the API, browser back on the return page`,
      status: await statusNow(code),
    });
  };
  if ((view.fees?.outstandingVnd ?? 0) > 0 && view.fees?.dueWhen !== 'before-release') {
    await payFees(view, 'before processing');
  }

  // The route: stage after stage, each stage's steps at once; the first decision attaches the result to download.
  const tasks: LifeOutcome['tasks'] = [];
  for (const [stage, { steps }] of procedure.route.entries()) {
    await Promise.all(
      steps.map(async (step, n) => {
        const stepId = `s${stage}-${n}`;
        const task = await agencies.task(step.agency, code, stepId);
        const attach = plan.returnBy === 'download' && tasks.length === 0;
        tasks.push({ stepId, id: task.id, agency: step.agency });
        const results = attach
          ? [
              {
                uploadId: await agencies.uploadResult(
                  step.agency,
                  task.id,
                  'ket-qua.pdf',
                  pdf(`ket qua ${code} ${Math.random()}`),
                ),
                title: procedure.name.vi.slice(0, 200),
              },
            ]
          : undefined;
        await agencies.decide(step.agency, task.id, {
          decision: 'approve',
          note: 'Đã giải quyết',
          ...(results ? { results } : {}),
        });
        report({
          actor: step.agency,
          what: `approved step ${stepId} “${step.task.vi.slice(0, 50)}” (task ${task.id}${results ? ', signed result attached' : ''})`,
          status: await statusNow(code),
        });
      }),
    );
  }
  view = await waitForStatus(api, officer, code, ['RESULT_READY'], context.timeoutMs);
  report({ actor: 'workflow', what: `route ended, result ready, form 06 issued`, status: view.status });
  if ((view.fees?.outstandingVnd ?? 0) > 0) {
    await payFees(view, 'before the result is released');
    view = await waitFor(
      api,
      officer,
      code,
      (now) => now.fees?.outstandingVnd === 0,
      'paid',
      context.timeoutMs,
    );
  }

  // The return: the first download by the applicant, or the paper result by post or at the counter.
  let status = view.status;
  if (plan.returnBy === 'download') {
    const result = await api.get<{ status: string; documents: { url: string; sha256: string }[] }>(
      `/v1/dossiers/${code}/result`,
      { as: citizen },
    );
    for (const document of result.documents) {
      api.counts.s3 += 1;
      const bytes = new Uint8Array(await (await fetch(document.url)).arrayBuffer());
      if (sha256(bytes) !== document.sha256) throw new Error(`${code}: a downloaded result does not match`);
    }
    report({
      actor: citizen,
      what: `downloaded ${result.documents.length} result document(s) through 5-minute links, checksums match`,
      status: result.status,
    });
    status = result.status;
  } else if (plan.returnBy === 'post') {
    await api.post(`/v1/dossiers/${code}/dispatch`, {
      as: officer,
      body: { carrier: 'VNPost', trackingNumber: `EB${code.slice(-4)}${Date.now() % 1e6}VN` },
    });
    report({ actor: officer, what: 'posted the paper result (VNPost)' });
    view = await api.post<DossierView>(`/v1/dossiers/${code}/return`, {
      as: officer,
      body: { method: 'post' },
    });
    report({ actor: officer, what: 'recorded the delivery by post', status: view.status });
    status = view.status;
  } else {
    view = await api.post<DossierView>(`/v1/dossiers/${code}/return`, {
      as: officer,
      body: { method: 'counter', collector: { name: applicant.fullName, idNumber: applicant.citizenId } },
    });
    report({
      actor: officer,
      what: 'handed the result over at the counter after the identity check',
      status: view.status,
    });
    status = view.status;
  }

  if (plan.rating) {
    view = await api.post<DossierView>(`/v1/dossiers/${code}/rating`, { as: citizen, body: plan.rating });
    report({ actor: citizen, what: `rated the service ${plan.rating.score}/5`, status: view.status });
    status = view.status;
  }
  return { code, lookupKey, plan, paidVnd, tasks, status };
}
