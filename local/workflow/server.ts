// The local workflow service on loopback: the Step Functions API over the AWS JSON 1.0 protocol
// (`X-Amz-Target: AWSStepFunctions.<Op>`), answered by the WorkflowEngine. Requests are not signature-checked.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowEngine, type WorkflowOptions } from './engine';
import { SfnError } from './errors';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const ERROR_NAMESPACE = 'com.amazonaws.swf.service.model.v20120820';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

type Operation = (engine: WorkflowEngine, body: Record<string, never>) => unknown;

const operations: Record<string, Operation> = {
  CreateStateMachine: (e, b) => e.createStateMachine(b),
  UpdateStateMachine: (e, b) => e.updateStateMachine(b),
  DescribeStateMachine: (e, b) => e.describeStateMachine(b),
  ListStateMachines: (e) => e.listStateMachines(),
  StartExecution: (e, b) => e.startExecution(b),
  DescribeExecution: (e, b) => e.describeExecution(b),
  StopExecution: (e, b) => e.stopExecution(b),
  ListExecutions: (e, b) => e.listExecutions(b),
  GetExecutionHistory: (e, b) => e.getExecutionHistory(b),
  SendTaskSuccess: (e, b) => e.sendTaskSuccess(b),
  SendTaskFailure: (e, b) => e.sendTaskFailure(b),
  SendTaskHeartbeat: (e, b) => e.sendTaskHeartbeat(b),
};

export interface WorkflowServiceOptions extends WorkflowOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

export interface WorkflowService {
  url: string;
  engine: WorkflowEngine;
  timeScale: number;
  /** Creates or replaces a state machine from code; returns its ARN. */
  putStateMachine(name: string, definition: unknown, roleArn?: string): string;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, error: SfnError) {
  send(res, error.status, { __type: `${ERROR_NAMESPACE}#${error.type}`, message: error.message });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SfnError('ValidationException', 'Request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(engine: WorkflowEngine, req: IncomingMessage, res: ServerResponse) {
  if (req.method === 'GET') {
    send(res, 200, engine.info());
    return;
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  const [prefix, op] = target.split('.');
  const operation =
    prefix === 'AWSStepFunctions' && op ? Object.hasOwn(operations, op) && operations[op] : undefined;
  const text = await readBody(req);
  if (!operation) throw new SfnError('UnknownOperationException', `Unknown operation: '${target}'`);
  let body: unknown;
  try {
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new SfnError('SerializationException', 'Request body is not valid JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfnError('SerializationException', 'Request body must be a JSON object');
  }
  send(res, 200, operation(engine, body as Record<string, never>));
}

/** Starts the service: replays the journal (if `dataDir`), then listens on loopback. */
export async function startWorkflowService(options: WorkflowServiceOptions = {}): Promise<WorkflowService> {
  const engine = new WorkflowEngine(options);
  await engine.start();
  const server = createServer((req, res) => {
    handle(engine, req, res).catch((error: unknown) => {
      const sfnError =
        error instanceof SfnError
          ? error
          : new SfnError('InternalFailure', 'The local workflow service failed');
      if (!(error instanceof SfnError)) options.log?.('workflow.internal-error', { error: String(error) });
      if (!res.headersSent) sendError(res, sfnError);
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  options.log?.('workflow.listening', { url, ...engine.info() });
  return {
    url,
    engine,
    timeScale: engine.timeScale,
    putStateMachine: (name, definition, roleArn) => engine.putStateMachine(name, definition, roleArn),
    async stop() {
      engine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
