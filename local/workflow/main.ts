// Runs the local workflow service on its own (the embedded stack starts it in-process): `tsx local/workflow/main.ts`
// with --port, --data-dir and --time-scale (or WORKFLOW_PORT, WORKFLOW_DATA_DIR, WORKFLOW_TIME_SCALE).
// Without a supplied invoker, Lambda tasks get `null` back and callback tasks just wait for SendTask*.
import { parseArgs } from 'node:util';
import { startWorkflowService } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.WORKFLOW_PORT ?? '0' },
    'data-dir': { type: 'string', default: process.env.WORKFLOW_DATA_DIR ?? '.local/workflow' },
    'time-scale': { type: 'string', default: process.env.WORKFLOW_TIME_SCALE ?? '1' },
  },
});

const log = (event: string, fields: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);

const service = await startWorkflowService({
  port: Number(values.port),
  dataDir: values['data-dir'],
  timeScale: Number(values['time-scale']),
  log,
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    service.stop().then(() => process.exit(0));
  });
}
