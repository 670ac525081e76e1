// A partner agency's client of the motcua partner API: every call signed with AWS SigV4 (service `execute-api`) by
// AWS's maintained signer (@smithy/signature-v4), as API Gateway's IAM authorization checks it in the cloud and the
// embedded stack's gateway checks it locally. Copy it, or import it: it needs only fetch and the two AWS packages.
import { createHash, randomUUID } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface PartnerCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** With temporary credentials (an assumed role): the session token. */
  sessionToken?: string;
}

export interface PartnerClientOptions {
  /** The API's base URL, e.g. `https://api.motcua.hanoi.gov.vn` or `http://localhost:3000`. */
  baseUrl: string;
  credentials: PartnerCredentials;
  region?: string;
}

export type Decision =
  | {
      decision: 'approve';
      note?: string;
      /** Result documents uploaded for this task (`uploadResult`), shown to the applicant under `title`. */
      results?: { uploadId: string; title: string; documentType?: string }[];
    }
  | { decision: 'reject'; reason: string }
  | { decision: 'request-supplement'; items: { name: string; reason: string }[]; reason?: string };

export interface TaskSummary {
  id: string;
  dossierCode: string;
  procedure: { code: string; name: string };
  stepId: string;
  round: number;
  task: string;
  status: 'open' | 'decided' | 'closed';
  overdue: boolean;
  assignedAt: string;
  dueAt: string;
  decision?: string;
}

/** A refusal of the API, with its stable code (`TASK_NOT_FOUND`, `TASK_CLOSED`, …). */
export class PartnerApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

export function partnerClient(options: PartnerClientOptions) {
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region ?? 'ap-southeast-1',
    service: 'execute-api',
    sha256: Sha256,
  });

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const url = new URL(path, options.baseUrl);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, ...(text ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(text ? { body: text } : {}),
    });
    const response = await fetch(url, { method, headers: signed.headers, ...(text ? { body: text } : {}) });
    const answer = (await response.json().catch(() => ({}))) as T & {
      error?: { code: string; message: string };
    };
    if (!response.ok) {
      throw new PartnerApiError(
        response.status,
        answer.error?.code ?? 'UNKNOWN',
        answer.error?.message ?? '',
      );
    }
    return answer as T;
  }

  return {
    /** Who the credentials act for, and the procedures whose routes include the agency. */
    profile: () => call<{ agency: { code: string; name: { vi: string } } }>('GET', '/v1/partner/profile'),
    /** The agency's tasks of one status (open by default), soonest due first. */
    listTasks: (query: { status?: string; procedure?: string; limit?: number; cursor?: string } = {}) => {
      const search = new URLSearchParams(
        Object.entries(query)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]): [string, string] => [k, String(v)]),
      );
      return call<{ items: TaskSummary[]; nextCursor?: string }>('GET', `/v1/partner/tasks?${search}`);
    },
    getTask: (id: string) =>
      call<Record<string, unknown>>('GET', `/v1/partner/tasks/${encodeURIComponent(id)}`),
    /**
     * Decides a task. Keep the key and send the same one when retrying after a timeout or a network error: the first
     * answer comes back and nothing is decided twice.
     */
    decide: (id: string, decision: Decision, idempotencyKey: string = randomUUID()) =>
      call<{ task: TaskSummary; delivered: boolean }>(
        'POST',
        `/v1/partner/tasks/${encodeURIComponent(id)}/decision`,
        decision,
        { 'idempotency-key': idempotencyKey },
      ),
    /**
     * Uploads a result document (a signed PDF) for an open task: declared, PUT to its presigned URL, verified. Attach
     * the returned id to the approval: `{ decision: 'approve', results: [{ uploadId, title }] }`.
     */
    async uploadResult(taskId: string, file: { fileName: string; bytes: Uint8Array }): Promise<string> {
      const ticket = await call<{
        uploadId: string;
        upload: { url: string; headers: Record<string, string> };
      }>(
        'POST',
        `/v1/partner/tasks/${encodeURIComponent(taskId)}/results`,
        {
          fileName: file.fileName,
          contentType: 'application/pdf',
          sizeBytes: file.bytes.length,
          sha256: createHash('sha256').update(file.bytes).digest('base64'),
        },
        { 'idempotency-key': randomUUID() },
      );
      const put = await fetch(ticket.upload.url, {
        method: 'PUT',
        headers: ticket.upload.headers,
        body: file.bytes,
      });
      if (!put.ok) throw new PartnerApiError(put.status, 'UPLOAD_FAILED', await put.text());
      await call('POST', `/v1/partner/uploads/${ticket.uploadId}/complete`);
      return ticket.uploadId;
    },
  };
}

export type PartnerClient = ReturnType<typeof partnerClient>;
