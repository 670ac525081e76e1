// The partner agencies' side of a dossier's life, through their SigV4-signed API (clients/partner/client.ts): each
// agency's desk polls its open tasks, one list at a time for all the dossiers waiting on it, as an agency's worker
// drains its queue, and approves a task with or without the signed result document it uploads first.
import { randomUUID } from 'node:crypto';
import { type Decision, partnerClient, type TaskSummary } from '../../clients/partner/client';
import { type DemoPartner, demoPartners } from '../../local/demo';
import { type RequestCounts, retrying } from './http';

export interface AgencyDesk {
  /** The task the workflow gives `agency` for step `stepId` (`s<stage>-<n>`) of the dossier, once it is assigned. */
  task(agency: string, dossierCode: string, stepId: string): Promise<TaskSummary>;
  decide(agency: string, taskId: string, decision: Decision): Promise<{ delivered: boolean }>;
  /** Uploads a signed result document for the task (declared, PUT to S3, verified); returns its upload id. */
  uploadResult(agency: string, taskId: string, fileName: string, bytes: Uint8Array): Promise<string>;
}

export interface AgencyDeskOptions {
  /** Pause between two looks at an agency's open tasks while dossiers wait on it (default 250 ms). */
  pollMs?: number;
  /** How long a dossier waits for a task before giving up (default 2 minutes). */
  timeoutMs?: number;
}

interface Waiter {
  resolve(task: TaskSummary): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export function agencyDesk(
  baseUrl: string,
  counts: RequestCounts,
  options: AgencyDeskOptions = {},
): AgencyDesk {
  const pollMs = options.pollMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const desks = new Map(demoPartners.map((partner) => [partner.agency, deskOf(partner)] as const));

  function deskOf(partner: DemoPartner) {
    const client = partnerClient({ baseUrl, credentials: partner });
    const waiting = new Map<string, Waiter>();
    let polling = false;

    async function poll() {
      polling = true;
      let failures = 0;
      try {
        while (waiting.size > 0) {
          try {
            await lookOnce();
            failures = 0;
          } catch (error) {
            // A busy gateway may refuse one look; three in a row fail everyone waiting on this agency.
            if (++failures >= 3) throw error;
          }
          if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
      } catch (error) {
        for (const [key, waiter] of waiting) {
          waiting.delete(key);
          clearTimeout(waiter.timer);
          waiter.reject(error as Error);
        }
      } finally {
        polling = false;
      }
    }

    /** One pass over the agency's open tasks, page by page, handing each awaited one to its dossier. */
    async function lookOnce() {
      let cursor: string | undefined;
      do {
        counts.polls += 1;
        const page = await client.listTasks({ status: 'open', limit: 100, ...(cursor ? { cursor } : {}) });
        for (const task of page.items) {
          const key = keyOf(task.dossierCode, task.stepId);
          const waiter = waiting.get(key);
          if (!waiter) continue;
          waiting.delete(key);
          clearTimeout(waiter.timer);
          waiter.resolve(task);
        }
        cursor = page.nextCursor;
      } while (cursor && waiting.size > 0);
    }

    return {
      partner,
      client,
      task(dossierCode: string, stepId: string) {
        const key = keyOf(dossierCode, stepId);
        return new Promise<TaskSummary>((resolve, reject) => {
          const timer = setTimeout(() => {
            waiting.delete(key);
            reject(
              new Error(`${partner.agency} got no task ${stepId} for ${dossierCode} in ${timeoutMs} ms`),
            );
          }, timeoutMs);
          waiting.set(key, { resolve, reject, timer });
          if (!polling) void poll();
        });
      },
    };
  }

  const desk = (agency: string) => {
    const found = desks.get(agency);
    if (!found) throw new Error(`no demo credentials for agency ${agency}`);
    return found;
  };

  return {
    task: (agency, dossierCode, stepId) => desk(agency).task(dossierCode, stepId),
    decide(agency, taskId, decision) {
      // One key for every attempt: a decision whose answer was lost is not taken twice.
      const key = randomUUID();
      return retrying(counts, () => {
        counts.steps += 1;
        return desk(agency).client.decide(taskId, decision, key);
      });
    },
    uploadResult(agency, taskId, fileName, bytes) {
      return retrying(counts, () => {
        // Declared and verified through the gateway; the bytes go straight to S3.
        counts.steps += 2;
        counts.s3 += 1;
        return desk(agency).client.uploadResult(taskId, { fileName, bytes });
      });
    },
  };
}

const keyOf = (dossierCode: string, stepId: string) => `${dossierCode} ${stepId}`;
