// Agency webhook endpoints on the embedded stack: a git-ignored JSON file (AGENCY_ENDPOINTS_FILE, e.g.
// `.local/agency-endpoints.json`) that both the sender and the local agency inbox read:
//   { "<agency id>": { "url": "http://127.0.0.1:4600/hooks/<agency id>", "secrets": ["whsec_..."] } }
// An entry with `"createSecret": true` and no secrets gets one generated on first use, written back to the file.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../shared/errors';
import type { AgencyEndpoint, AgencyEndpoints } from '../shared/ports/agency-endpoints';
import * as z from '../shared/schemas/zod';
import { generateSecret, secretKey } from '../shared/webhooks/standard-webhooks';

export const AGENCY_ENDPOINTS_FILE = 'AGENCY_ENDPOINTS_FILE';

const entrySchema = z
  .strictObject({
    url: z.string().check(z.minLength(1)),
    secrets: z._default(z.array(z.string()), []),
    createSecret: z.optional(z.boolean()),
  })
  .check(
    z.refine((entry) => entry.secrets.length > 0 || entry.createSecret === true, {
      message: 'an entry needs "secrets" or "createSecret": true',
    }),
  );
/** Electronic agency codes (`000.00.13.H26`); a leading letter or digit keeps `__proto__` and the like out. */
export const AGENCY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const fileSchema = z.record(z.string().check(z.regex(AGENCY_ID)), entrySchema);
type EndpointsFile = z.infer<typeof fileSchema>;

export interface FileAgencyEndpoints extends AgencyEndpoints {
  readonly file: string;
  /** Points the agency at `url`, keeping its secrets or creating one (how the stack aims agencies at its inbox). */
  setEndpoint(agency: string, url: string): Promise<AgencyEndpoint>;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function load(file: string): Promise<EndpointsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // No file yet is no agency registered: every notification is refused as `no-endpoint` until one is added.
    if (errorCode(error) === 'ENOENT') return {};
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${file} (${AGENCY_ENDPOINTS_FILE}) is not valid JSON`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`${file} (${AGENCY_ENDPOINTS_FILE}) is not an agency endpoints file: ${where}`);
  }
  for (const [agency, entry] of Object.entries(parsed.data)) {
    try {
      entry.secrets.forEach(secretKey);
    } catch {
      throw new ConfigError(
        `${file}: agency ${agency} has a secret that is not whsec_<base64 of 24–64 bytes>`,
      );
    }
  }
  return parsed.data;
}

/** Written whole and renamed into place, owner-only: a reader never sees half a file, nobody else sees secrets. */
async function save(file: string, data: EndpointsFile): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

/**
 * Runs `work` holding `<file>.lock`: the sender (in a function worker) and the inbox may both create an agency's
 * first secret at once, and two different secrets would never verify. A lock older than 10 s is a crashed holder's.
 */
async function withLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  await mkdir(dirname(file), { recursive: true });
  for (let tries = 0; ; tries += 1) {
    try {
      const handle = await open(lock, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 10_000) await unlink(lock).catch(() => undefined);
      else if (tries > 500) throw new Error(`${lock} is held too long`);
      else await pause(20);
    }
  }
  try {
    return await work();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

export function fileAgencyEndpoints(file: string): FileAgencyEndpoints {
  const endpointOf = async (agency: string): Promise<AgencyEndpoint | undefined> => {
    if (!AGENCY_ID.test(agency)) return undefined;
    const data = await load(file);
    const entry = Object.hasOwn(data, agency) ? data[agency] : undefined;
    if (!entry) return undefined;
    if (entry.secrets.length > 0) return { url: entry.url, secrets: entry.secrets };
    return withLock(file, async () => {
      const data = await load(file);
      const current = Object.hasOwn(data, agency) ? data[agency] : undefined;
      if (!current) return undefined;
      if (current.secrets.length === 0) {
        current.secrets = [generateSecret()];
        await save(file, data);
      }
      return { url: current.url, secrets: current.secrets };
    });
  };
  return {
    file,
    endpointOf,
    setEndpoint: (agency, url) => {
      if (!AGENCY_ID.test(agency)) return Promise.reject(new RangeError(`not an agency id: ${agency}`));
      return withLock(file, async () => {
        const data = await load(file);
        const previous = Object.hasOwn(data, agency) ? data[agency] : undefined;
        const secrets = previous?.secrets.length ? previous.secrets : [generateSecret()];
        data[agency] = { ...previous, url, secrets };
        await save(file, data);
        return { url, secrets };
      });
    },
  };
}

/** The endpoints file named by AGENCY_ENDPOINTS_FILE; a missing variable stops start-up with its name. */
export function agencyEndpointsFromEnv(env: NodeJS.ProcessEnv = process.env): FileAgencyEndpoints {
  const file = env[AGENCY_ENDPOINTS_FILE];
  if (!file || file.trim() === '')
    throw new ConfigError(`Missing environment variable ${AGENCY_ENDPOINTS_FILE}`);
  return fileAgencyEndpoints(file);
}
