import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AGENCY_ENDPOINTS_FILE,
  agencyEndpointsFromEnv,
  fileAgencyEndpoints,
} from '../../local/agency-endpoints';
import { webhookNotifier } from '../../shared/adapters/webhook-notifier';
import { ConfigError } from '../../shared/errors';
import type { AgencyEndpoint, AgencyEndpoints } from '../../shared/ports/agency-endpoints';
import { type AgencyMessage, STEP_ASSIGNED } from '../../shared/ports/agency-notifier';
import { generateSecret, messageId, verify } from '../../shared/webhooks/standard-webhooks';

const police = '000.33.08.H26';
const message: AgencyMessage = {
  id: messageId('000.00.01.H26-260930-0012', 1, 's0-0'),
  type: STEP_ASSIGNED,
  timestamp: '2026-09-30T03:00:00.000Z',
  data: {
    dossierCode: '000.00.01.H26-260930-0012',
    stepId: 's0-0',
    stage: 0,
    agency: police,
    task: { vi: 'Xác minh cư trú', en: 'Verify residence' },
    workingDays: 2,
    dueAt: '2026-10-02T10:00:00.000Z',
  },
};

const endpointsOf = (map: Record<string, AgencyEndpoint>): AgencyEndpoints => ({
  endpointOf: async (agency) => map[agency],
});

function recordingFetch(status = 204) {
  const sent: { url: string; headers: Record<string, string>; body: string }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({
      url: String(input),
      headers: init?.headers as Record<string, string>,
      body: String(init?.body),
    });
    return new Response(null, { status });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

describe('webhookNotifier', () => {
  const clock = () => new Date('2026-09-30T03:00:05Z');

  it('sends the agency the spec payload (type, timestamp, data) under the message id, signed with its secrets', async () => {
    const secrets = [generateSecret(), generateSecret()];
    const { fetch, sent } = recordingFetch();
    const notifier = webhookNotifier(
      endpointsOf({ [police]: { url: 'https://police.example.vn/hooks', secrets } }),
      {
        fetch,
        clock,
      },
    );
    const outcome = await notifier.notify(police, message);
    expect(outcome).toMatchObject({ status: 'delivered', messageId: message.id, permanent: false });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('https://police.example.vn/hooks');
    expect(JSON.parse(sent[0]!.body)).toEqual({
      type: message.type,
      timestamp: message.timestamp,
      data: message.data,
    });
    expect(verify(sent[0]!.headers, sent[0]!.body, secrets[1]!, clock()).id).toBe(message.id);
  });

  it('refuses an agency without an endpoint as a permanent failure, sending nothing', async () => {
    const { fetch, sent } = recordingFetch();
    const outcome = await webhookNotifier(endpointsOf({}), { fetch }).notify(police, message);
    expect(outcome).toEqual({
      status: 'failed',
      messageId: message.id,
      attempts: [],
      permanent: true,
      refused: 'no-endpoint',
    });
    expect(sent).toHaveLength(0);
  });

  it('refuses a registered endpoint that is not https as a permanent failure', async () => {
    const { fetch, sent } = recordingFetch();
    const endpoints = endpointsOf({
      [police]: { url: 'http://police.example.vn/hooks', secrets: [generateSecret()] },
    });
    const outcome = await webhookNotifier(endpoints, { fetch }).notify(police, message);
    expect(outcome).toMatchObject({ status: 'failed', permanent: true, refused: 'insecure-scheme' });
    expect(sent).toHaveLength(0);
  });

  it('refuses an endpoint whose secret is unusable instead of throwing', async () => {
    const { fetch } = recordingFetch();
    const endpoints = endpointsOf({
      [police]: { url: 'https://police.example.vn/hooks', secrets: ['whsec_c2hvcnQ='] },
    });
    expect(await webhookNotifier(endpoints, { fetch }).notify(police, message)).toMatchObject({
      refused: 'invalid-secret',
      permanent: true,
    });
  });

  it('passes a failed delivery through for the caller to dead-letter', async () => {
    const { fetch } = recordingFetch(503);
    const endpoints = endpointsOf({
      [police]: { url: 'https://police.example.vn/hooks', secrets: [generateSecret()] },
    });
    const outcome = await webhookNotifier(endpoints, { fetch, attempts: 2, sleep: async () => {} }).notify(
      police,
      message,
    );
    expect(outcome).toMatchObject({ status: 'failed', permanent: false });
    expect(outcome.attempts).toHaveLength(2);
    expect(outcome.refused).toBeUndefined();
  });
});

describe('fileAgencyEndpoints', () => {
  let dir: string;
  let file: string;
  const write = (value: unknown) =>
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'motcua-endpoints-'));
    file = join(dir, 'agency-endpoints.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives an agency’s url and secrets, and undefined for an agency not in the file', async () => {
    const secret = generateSecret();
    write({ [police]: { url: 'https://police.example.vn/hooks', secrets: [secret] } });
    const endpoints = fileAgencyEndpoints(file);
    expect(await endpoints.endpointOf(police)).toEqual({
      url: 'https://police.example.vn/hooks',
      secrets: [secret],
    });
    expect(await endpoints.endpointOf('000.00.13.H26')).toBeUndefined();
  });

  it('treats a missing file as no agency registered', async () => {
    expect(await fileAgencyEndpoints(join(dir, 'absent.json')).endpointOf(police)).toBeUndefined();
  });

  it('does not find agencies named like Object.prototype members', async () => {
    write({ [police]: { url: 'https://police.example.vn/hooks', secrets: [generateSecret()] } });
    const endpoints = fileAgencyEndpoints(file);
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(await endpoints.endpointOf(name), name).toBeUndefined();
    }
  });

  it('creates a secret on first use when the file asks for one, writes it back owner-only, and keeps it', async () => {
    write({ [police]: { url: 'http://127.0.0.1:4600/hooks/police', createSecret: true } });
    const first = await fileAgencyEndpoints(file).endpointOf(police);
    expect(first?.secrets).toHaveLength(1);
    expect(first!.secrets[0]).toMatch(/^whsec_/);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored[police].secrets).toEqual(first!.secrets);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await fileAgencyEndpoints(file).endpointOf(police)).toEqual(first);
  });

  it('creates one secret, not two, when sender and inbox ask for it at the same time', async () => {
    write({ [police]: { url: 'http://127.0.0.1:4600/hooks/police', createSecret: true } });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => fileAgencyEndpoints(file).endpointOf(police)),
    );
    expect(new Set(answers.map((answer) => answer!.secrets.join(' '))).size).toBe(1);
  });

  it('points an agency at a new url, keeping its secrets', async () => {
    const secret = generateSecret();
    write({ [police]: { url: 'https://old.example.vn/hooks', secrets: [secret] } });
    const endpoints = fileAgencyEndpoints(file);
    expect(await endpoints.setEndpoint(police, 'http://127.0.0.1:4600/hooks/police')).toEqual({
      url: 'http://127.0.0.1:4600/hooks/police',
      secrets: [secret],
    });
    expect(await endpoints.endpointOf(police)).toEqual({
      url: 'http://127.0.0.1:4600/hooks/police',
      secrets: [secret],
    });
  });

  it('registers an unknown agency with a fresh secret', async () => {
    const endpoint = await fileAgencyEndpoints(file).setEndpoint(
      police,
      'http://127.0.0.1:4600/hooks/police',
    );
    expect(endpoint.secrets).toHaveLength(1);
    expect(await fileAgencyEndpoints(file).endpointOf(police)).toEqual(endpoint);
  });

  it('stops with a config error naming the file when it is not JSON', async () => {
    write('{ not json');
    await expect(fileAgencyEndpoints(file).endpointOf(police)).rejects.toThrow(ConfigError);
    await expect(fileAgencyEndpoints(file).endpointOf(police)).rejects.toThrow(file);
  });

  it('refuses an entry with neither secrets nor createSecret, naming the agency', async () => {
    write({ [police]: { url: 'https://police.example.vn/hooks' } });
    await expect(fileAgencyEndpoints(file).endpointOf(police)).rejects.toThrow(police);
  });

  it('refuses a misspelt field instead of ignoring it', async () => {
    write({ [police]: { url: 'https://police.example.vn/hooks', secret: generateSecret() } });
    await expect(fileAgencyEndpoints(file).endpointOf(police)).rejects.toThrow(ConfigError);
  });

  it('refuses an unusable secret without printing it', async () => {
    write({ [police]: { url: 'https://police.example.vn/hooks', secrets: ['whsec_c2hvcnRzZWNyZXQ='] } });
    const error = await fileAgencyEndpoints(file)
      .endpointOf(police)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('c2hvcnRzZWNyZXQ');
  });
});

describe('agencyEndpointsFromEnv', () => {
  it('stops start-up naming AGENCY_ENDPOINTS_FILE when it is not set', () => {
    expect(() => agencyEndpointsFromEnv({})).toThrow(ConfigError);
    expect(() => agencyEndpointsFromEnv({})).toThrow(AGENCY_ENDPOINTS_FILE);
  });

  it('reads the file the variable names', () => {
    expect(agencyEndpointsFromEnv({ [AGENCY_ENDPOINTS_FILE]: '.local/agency-endpoints.json' }).file).toBe(
      '.local/agency-endpoints.json',
    );
  });
});
