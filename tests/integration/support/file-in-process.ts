// One OS process of the cross-process code test: files `count` dossiers at once through the real filing use case
// and adapters (its own SDK clients, like one more Lambda instance), counting the DynamoDB calls of each filing.
// Input: MOTCUA_FILE_JOB (JSON); output: one JSON line on stdout.
import { dynamoDocumentClient } from '../../../shared/adapters/aws';
import { filingDeps } from '../../../shared/adapters/dossier-deps';
import type { Caller } from '../../../shared/domain/caller';
import { fileDossier } from '../../../shared/usecases/dossiers/file-dossier';

interface Job {
  count: number;
  caller: Caller;
  request: Parameters<typeof fileDossier>[0]['request'];
  /** Start at this epoch ms, so every process files at once. */
  startAt: number;
}

const job = JSON.parse(process.env.MOTCUA_FILE_JOB ?? '') as Job;
const calls: Record<string, number> = {};
dynamoDocumentClient().middlewareStack.add(
  (next, context) => async (args) => {
    calls[String(context.commandName)] = (calls[String(context.commandName)] ?? 0) + 1;
    return next(args);
  },
  { step: 'initialize', name: 'callCounter' },
);

const deps = filingDeps();
await new Promise((resolve) => setTimeout(resolve, Math.max(0, job.startAt - Date.now())));
const outcomes = await Promise.allSettled(
  Array.from({ length: job.count }, () => fileDossier({ request: job.request, caller: job.caller }, deps)),
);
const codes = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.code] : []));
const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
process.stdout.write(`${JSON.stringify({ pid: process.pid, codes, failures, calls })}\n`);
