// A metering proxy in front of DynamoDB Local, for benches: every client of the stack (handlers, consumers, workflow
// tasks, the stream poller) reaches DynamoDB through it. It asks each data-plane call for its consumed capacity
// (`ReturnConsumedCapacity: TOTAL`, added to the request when the caller did not ask) and adds up the units DynamoDB
// Local reports, the same read and write request units on-demand billing counts: item sizes rounded up to 4 KB per
// read (half for an eventually consistent one) and 1 KB per write, twice for transactions, index writes included.
// Responses pass through byte for byte (the SDK checks their CRC32). Stream reads (DynamoDBStreams_*) are not
// metered: a Lambda event source mapping reads the stream without charge.
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import type { AddressInfo } from 'node:net';

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems', 'ExecuteStatement']);
const WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'ExecuteTransaction',
  'BatchExecuteStatement',
]);

export interface MeterReading {
  /** Data-plane calls by operation (`GetItem`, `TransactWriteItems`…). */
  calls: Record<string, number>;
  /** GetItem calls by table and item kind: the key with its ids starred (`dossiers DOSSIER#* META`). */
  gets: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  /** Writes refused (a failed condition, a cancelled transaction): billed by DynamoDB, reported without units here. */
  refusedWrites: number;
  /** Accepted writes by operation and the kinds of item they write (`TransactWriteItems dossiers DOSSIER#* META + …`). */
  writes: Record<string, { calls: number; units: number }>;
}

export interface DynamoDbMeter {
  url: string;
  reading(): MeterReading;
  stop(): Promise<void>;
}

const readBody = (message: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });

// A key part that carries an id (digits, or a long token such as an idempotency key's hash) is starred.
const kindOf = (value: string | undefined) =>
  (value ?? '-')
    .split('#')
    .map((part) => (/\d|^.{16,}$/.test(part) ? '*' : part))
    .join('#');

function itemKind(input: { TableName?: string; Key?: { pk?: { S?: string }; sk?: { S?: string } } }) {
  const table = input.TableName?.split('-').pop() ?? '?';
  return `${table} ${kindOf(input.Key?.pk?.S)} ${kindOf(input.Key?.sk?.S)}`;
}

type KeyedInput = Parameters<typeof itemKind>[0] & { Item?: { pk?: { S?: string }; sk?: { S?: string } } };

/** What one write touches: each item's kind, in the request's order (`Put`, `Update`, `Delete`, `ConditionCheck`). */
function writeKind(operation: string, input: KeyedInput & { TransactItems?: Record<string, KeyedInput>[] }) {
  const one = (part: KeyedInput, verb?: string) =>
    `${verb ? `${verb} ` : ''}${itemKind({ TableName: part.TableName, Key: part.Key ?? part.Item })}`;
  if (operation === 'TransactWriteItems') {
    // Each kind once, in order, starred when repeated: a batch of entries is one kind of write whatever its size.
    const parts = (input.TransactItems ?? []).map((entry) => {
      const [verb, part] = Object.entries(entry)[0] ?? ['?', {}];
      return one(part, verb);
    });
    const repeated = new Set(parts.filter((part, index) => parts.indexOf(part) !== index));
    return `${operation}: ${[...new Set(parts)].map((part) => (repeated.has(part) ? `${part} (×n)` : part)).join(' + ')}`;
  }
  return `${operation}: ${one(input)}`;
}

function unitsOf(body: Buffer): number {
  const { ConsumedCapacity } = JSON.parse(body.toString('utf8')) as {
    ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
  };
  const list = Array.isArray(ConsumedCapacity)
    ? ConsumedCapacity
    : ConsumedCapacity
      ? [ConsumedCapacity]
      : [];
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

export async function startDynamoDbMeter(upstream: string): Promise<DynamoDbMeter> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const reading: MeterReading = {
    calls: {},
    gets: {},
    readUnits: 0,
    writeUnits: 0,
    refusedWrites: 0,
    writes: {},
  };

  const server = createServer(async (incoming, outgoing) => {
    try {
      let body = await readBody(incoming);
      const operation = /^DynamoDB_\d+\.(\w+)$/.exec(String(incoming.headers['x-amz-target'] ?? ''))?.[1];
      const metered = operation !== undefined && (READS.has(operation) || WRITES.has(operation));
      let written: string | undefined;
      if (metered) {
        const input = JSON.parse(body.toString('utf8')) as Parameters<typeof itemKind>[0] & {
          ReturnConsumedCapacity?: string;
        };
        if (operation === 'GetItem') {
          const kind = itemKind(input);
          reading.gets[kind] = (reading.gets[kind] ?? 0) + 1;
        }
        if (!input.ReturnConsumedCapacity || input.ReturnConsumedCapacity === 'NONE') {
          input.ReturnConsumedCapacity = 'TOTAL';
          body = Buffer.from(JSON.stringify(input));
        }
        reading.calls[operation] = (reading.calls[operation] ?? 0) + 1;
        if (WRITES.has(operation)) written = writeKind(operation, input);
      }
      const options: RequestOptions = {
        hostname: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, host: target.host, 'content-length': String(body.length) },
        agent,
      };
      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        const forward = httpRequest(options, resolve);
        forward.on('error', reject);
        forward.end(body);
      });
      const answered = await readBody(answer);
      if (metered) {
        if (answer.statusCode === 200) {
          const units = unitsOf(answered);
          if (READS.has(operation)) reading.readUnits += units;
          else reading.writeUnits += units;
          if (written) {
            const entry = reading.writes[written] ?? { calls: 0, units: 0 };
            reading.writes[written] = { calls: entry.calls + 1, units: entry.units + units };
          }
        } else if (WRITES.has(operation)) reading.refusedWrites += 1;
      }
      outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
      outgoing.end(answered);
    } catch (error) {
      outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`meter: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reading: () => structuredClone(reading),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
