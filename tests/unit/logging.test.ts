import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, isRedactedKey, REDACTED, redact } from '../../shared/logging';
import { linesOf } from './support/stdout';

const CCCD = '001090012345';

describe('createLogger', () => {
  beforeEach(() => {
    process.env.LOG_LEVEL = 'debug';
  });
  afterEach(() => {
    process.env.LOG_LEVEL = 'silent';
  });

  it('writes one JSON line with level, time, message, service and the keys', async () => {
    const [line] = await linesOf(() =>
      createLogger({ route: 'fileDossier' }).info('dossier filed', { unit: 'U1' }),
    );
    expect(line).toMatchObject({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      message: 'dossier filed',
      service: 'motcua',
      route: 'fileDossier',
      unit: 'U1',
    });
  });

  it('redacts personal data at any depth, inside arrays too', async () => {
    const [line] = await linesOf(() =>
      createLogger().info('nested', {
        dossier: {
          code: '000.02.01.H26-261127-0042',
          applicant: { fullName: 'Nguyễn Văn An', citizenId: CCCD },
          contacts: [{ phone: '0912345678', address: 'Số 1 Ba Đình' }],
          answers: { childFullName: 'Nguyễn Minh Khang' },
        },
        history: [[{ motherFullName: 'Trần Thị Lan', email: 'an@example.vn' }]],
        headers: {
          Authorization: 'Bearer abc',
          'x-amz-security-token': 'sts-session-value',
          Cookie: 'sid=1',
        },
        caller: { kind: 'citizen', sub: 's1', name: 'Nguyễn Văn An' },
        document: { content: '%PDF-1.7', body: 'raw' },
        idToken: 'eyJ',
      }),
    );
    const text = JSON.stringify(line);
    for (const secret of [
      'Nguyễn',
      'Trần',
      CCCD,
      '0912345678',
      'Ba Đình',
      'Bearer abc',
      'sts-session-value',
      'sid=1',
      '%PDF',
      'eyJ',
      'an@example.vn',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
    expect(line).toMatchObject({
      dossier: { code: '000.02.01.H26-261127-0042', applicant: REDACTED, answers: REDACTED },
      history: [[{ motherFullName: REDACTED, email: REDACTED }]],
      caller: { kind: 'citizen', sub: 's1', name: REDACTED },
    });
  });

  it('masks a citizen ID inside a message or an error text, but keeps ARNs and dossier codes', async () => {
    const arn = 'arn:aws:iam::111111111111:role/police';
    const [line] = await linesOf(() =>
      createLogger().warn(`applicant ${CCCD} refused`, { principal: arn, code: '000.02.01.H26-261127-0042' }),
    );
    expect(line?.message).toBe(`applicant ${REDACTED} refused`);
    expect(line).toMatchObject({ principal: arn, code: '000.02.01.H26-261127-0042' });
  });

  it('keeps a request id whose last group happens to be twelve digits, and masks an ID beside hex text', async () => {
    const requestId = '92c1705f-e46f-4bc8-a003-345091732895';
    const [line] = await linesOf(() =>
      createLogger().error('gateway failed', { requestId, note: `ref-ab ${CCCD}` }),
    );
    expect(line).toMatchObject({ requestId, note: `ref-ab ${REDACTED}` });
    expect(redact({ text: `cafe-${CCCD}` })).toEqual({ text: `cafe-${REDACTED}` });
  });

  it('logs an unexpected error with its stack and its own fields', async () => {
    const error = Object.assign(new Error('table gone'), { code: 'ResourceNotFoundException' });
    const [line] = await linesOf(() => createLogger().error('unhandled error', { error }));
    expect(line?.error).toMatchObject({
      name: 'Error',
      message: 'table gone',
      stack: expect.stringContaining('logging.test.ts'),
      code: 'ResourceNotFoundException',
    });
  });

  it('keeps the names of errors, events and agencies: only a person beside `sub` has a redacted name', () => {
    expect(isRedactedKey('name', { kind: 'citizen', sub: 's1' })).toBe(true);
    expect(isRedactedKey('name', { event: 'DossierFiled' })).toBe(false);
    expect(redact({ agency: { code: 'A', name: 'Công an phường' } })).toEqual({
      agency: { code: 'A', name: 'Công an phường' },
    });
  });

  it('carries child keys on every line of the child', async () => {
    const lines = await linesOf(() => {
      const child = createLogger({ route: 'r' }).child({ requestId: 'req-9' });
      child.info('one');
      child.debug('two');
    });
    expect(lines.map((l) => [l.message, l.requestId, l.route])).toEqual([
      ['one', 'req-9', 'r'],
      ['two', 'req-9', 'r'],
    ]);
  });

  it('follows LOG_LEVEL, silent included, as it changes', async () => {
    const log = createLogger();
    process.env.LOG_LEVEL = 'warn';
    const warnOnly = await linesOf(() => {
      log.info('hidden');
      log.warn('shown');
    });
    expect(warnOnly.map((l) => l.message)).toEqual(['shown']);
    process.env.LOG_LEVEL = 'silent';
    expect(await linesOf(() => log.error('nothing'))).toEqual([]);
    process.env.LOG_LEVEL = 'error';
    expect((await linesOf(() => log.error('errors'))).map((l) => l.level)).toEqual(['error']);
  });
});
