import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBirth } from '../../local/demo';
import { dynamoDocumentClient } from '../../shared/adapters/aws';
import { parseEvent } from '../../shared/domain/events';
import { eventually } from './support/events';
import { startTestStack, type TestStack } from './support/stack';
import { uploadFile } from './support/uploads';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ routing: false });
});
afterAll(() => stack?.stop());

const { procedureCode: BIRTH, unit: BA_DINH, answers, applicant: applicantAn } = demoBirth;

type View = {
  code: string;
  lookupKey: string;
  status: string;
  deadline?: { appointmentDay: string; paused: boolean; basis: unknown[] };
  history?: { action: string; actor: { kind: string } }[];
  forms: { form: string; href: string }[];
  applicant: { citizenId: string };
};

type Store = { items: { id: string; requirementId: string; sourceDossier: string }[] };
const storeOf = async (as: string) => (await (await stack.call('/v1/me/documents', { as })).json()) as Store;

const post = (path: string, as: string, body?: unknown, key?: string) =>
  stack.call(path, {
    method: 'POST',
    as,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(key ? { 'idempotency-key': key } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

/** The two documents a birth registration needs, uploaded and verified by `as` (at the counter if `counter`). */
async function birthUploads(as: string, counter = false) {
  return Promise.all(
    ['to-khai-dang-ky-khai-sinh', 'giay-chung-sinh'].map(async (requirementId) => ({
      requirementId,
      uploadId: await uploadFile(stack, as, {
        procedureCode: BIRTH,
        requirementId,
        ...(counter ? { counter } : {}),
      }),
    })),
  );
}

async function fileBirth(as = 'citizen.an', key?: string) {
  const documents = await birthUploads(as);
  const body = { procedureCode: BIRTH, unit: BA_DINH, applicant: applicantAn, answers, documents };
  return { body, response: await post('/v1/dossiers', as, body, key) };
}

describe('online filing to receipt', () => {
  it('files, is received by the branch officer, issues form 01 and can be tracked', async () => {
    const { body, response } = await fileBirth();
    expect(response.status).toBe(201);
    const filed = (await response.json()) as View;
    expect(filed.status).toBe('SUBMITTED');
    expect(filed.code).toMatch(/^000\.02\.01\.H26-\d{6}-\d{4}$/);
    expect(filed.applicant.citizenId).toBe('001*******45');

    const queue = (await (
      await stack.call('/v1/branch/dossiers?status=SUBMITTED', { as: 'officer.badinh' })
    ).json()) as {
      items: { code: string }[];
    };
    expect(queue.items.map((d) => d.code)).toContain(filed.code);

    const received = await post(`/v1/dossiers/${filed.code}/receive`, 'officer.badinh');
    expect(received.status).toBe(200);
    const view = (await received.json()) as View;
    expect(view.status).toBe('RECEIVED');
    expect(view.deadline?.appointmentDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(view.forms.map((f) => f.form)).toEqual(['01']);

    const pdf = await stack.call(`/v1/dossiers/${filed.code}/forms/01`, { as: 'citizen.an' });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    const { text } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
    expect(text).toContain(filed.code);
    expect(text).toContain('Đăng ký khai sinh');
    expect(text).not.toContain('001090012345');

    const tracked = await stack.call(`/v1/tracking/${filed.code}?key=${filed.lookupKey}`);
    expect(tracked.status).toBe(200);
    const tracking = (await tracked.json()) as Record<string, unknown>;
    expect(tracking).toMatchObject({ status: 'RECEIVED', appointmentDay: view.deadline?.appointmentDay });
    expect(JSON.stringify(tracking)).not.toContain('Nguyễn Văn An');

    const full = (await (
      await stack.call(`/v1/dossiers/${filed.code}`, { as: 'citizen.an' })
    ).json()) as View;
    expect(full.history?.map((h) => h.action)).toEqual(['submit', 'receive']);
    // Filing copied the files where no expiry rule reaches them.
    for (const { uploadId } of body.documents) {
      const kept = stack.clients.s3.send(
        new HeadObjectCommand({ Bucket: process.env.BUCKET_DOCUMENTS, Key: `filed/${uploadId}` }),
      );
      await expect(kept).resolves.toBeDefined();
    }
    const mine = (await (await stack.call('/v1/me/dossiers', { as: 'citizen.an' })).json()) as {
      items: { code: string }[];
    };
    expect(mine.items.map((d) => d.code)).toContain(filed.code);
  });

  it('replays a retried filing and refuses the key with another body', async () => {
    const { body, response } = await fileBirth('citizen.an', 'file-birth-0001');
    const first = (await response.json()) as View;
    const again = await post('/v1/dossiers', 'citizen.an', body, 'file-birth-0001');
    expect(again.status).toBe(201);
    expect(((await again.json()) as View).code).toBe(first.code);
    const other = await post(
      '/v1/dossiers',
      'citizen.an',
      { ...body, answers: { ...answers, childSex: 'Nữ' } },
      'file-birth-0001',
    );
    expect(other.status).toBe(422);
  });

  it('refuses an incomplete dossier with the list of what is missing', async () => {
    const response = await post('/v1/dossiers', 'citizen.an', {
      procedureCode: BIRTH,
      unit: BA_DINH,
      applicant: applicantAn,
      answers: { childFullName: 'Khang' },
      documents: [],
    });
    expect(response.status).toBe(422);
    const { error } = (await response.json()) as {
      error: {
        code: string;
        details: { missingDocuments: { requirementId: string }[]; missingAnswers: { question: string }[] };
      };
    };
    expect(error.code).toBe('INCOMPLETE_DOSSIER');
    expect(error.details.missingDocuments.map((d) => d.requirementId).sort()).toEqual([
      'giay-chung-sinh',
      'to-khai-dang-ky-khai-sinh',
    ]);
    expect(error.details.missingAnswers.map((a) => a.question)).toContain('childDateOfBirth');
  });

  it('refuses another citizen’s upload, a bad CCCD and an applicant who is not the caller', async () => {
    const theirs = await uploadFile(stack, 'citizen.binh', {
      procedureCode: BIRTH,
      requirementId: 'giay-chung-sinh',
    });
    const mine = await uploadFile(stack, 'citizen.an', {
      procedureCode: BIRTH,
      requirementId: 'to-khai-dang-ky-khai-sinh',
    });
    const documents = [
      { requirementId: 'to-khai-dang-ky-khai-sinh', uploadId: mine },
      { requirementId: 'giay-chung-sinh', uploadId: theirs },
    ];
    const stolen = await post('/v1/dossiers', 'citizen.an', {
      procedureCode: BIRTH,
      unit: BA_DINH,
      applicant: applicantAn,
      answers,
      documents,
    });
    expect(stolen.status).toBe(400);
    expect(((await stolen.json()) as { error: { code: string } }).error.code).toBe('INVALID_DOCUMENTS');
    const badId = await post('/v1/dossiers', 'citizen.an', {
      procedureCode: BIRTH,
      unit: BA_DINH,
      applicant: { ...applicantAn, citizenId: '999090012345' },
      answers,
      documents: [],
    });
    expect(badId.status).toBe(400);
    const someoneElse = await post('/v1/dossiers', 'citizen.an', {
      procedureCode: BIRTH,
      unit: BA_DINH,
      applicant: { fullName: 'Trần Thị Bình', citizenId: '001185054321' },
      answers,
      documents: [],
    });
    expect(someoneElse.status).toBe(403);
  });
});

describe('who may see and move a dossier', () => {
  let code: string;
  beforeAll(async () => {
    code = ((await (await fileBirth()).response.json()) as View).code;
  });

  it('hides a dossier from another citizen and another branch without revealing it exists', async () => {
    for (const as of ['citizen.binh', 'officer.hoankiem']) {
      expect((await stack.call(`/v1/dossiers/${code}`, { as })).status, as).toBe(404);
      expect((await stack.call(`/v1/dossiers/${code}/forms/01`, { as })).status, as).toBe(404);
    }
    expect((await stack.call('/v1/dossiers/000.02.01.H26-991231-9999', { as: 'citizen.binh' })).status).toBe(
      404,
    );
    expect((await post(`/v1/dossiers/${code}/receive`, 'officer.hoankiem')).status).toBe(404);
  });

  it('lets the branch supervisor read but not decide intake', async () => {
    expect((await stack.call(`/v1/dossiers/${code}`, { as: 'supervisor' })).status).toBe(200);
    expect(
      (await post(`/v1/dossiers/${code}/refusal`, 'supervisor', { reason: 'Không hợp lệ' })).status,
    ).toBe(403);
    expect((await stack.call('/v1/branch/deadlines?until=2099-12-31', { as: 'supervisor' })).status).toBe(
      200,
    );
  });

  it('keeps branch lists to staff and personal lists to citizens', async () => {
    expect((await stack.call('/v1/branch/dossiers', { as: 'citizen.an' })).status).toBe(403);
    expect((await stack.call('/v1/branch/deadlines?until=2099-12-31', { as: 'citizen.an' })).status).toBe(
      403,
    );
    expect((await stack.call('/v1/me/dossiers', { as: 'officer.badinh' })).status).toBe(403);
    expect((await stack.call('/v1/branch/dossiers')).status).toBe(401);
    const theirs = (await (
      await stack.call('/v1/branch/dossiers?limit=100', { as: 'officer.hoankiem' })
    ).json()) as {
      items: { code: string }[];
    };
    expect(theirs.items.map((d) => d.code)).not.toContain(code);
  });

  it('refuses intake decisions from citizens and reads without a token', async () => {
    expect((await post(`/v1/dossiers/${code}/receive`, 'citizen.an')).status).toBe(403);
    expect((await stack.call(`/v1/dossiers/${code}`)).status).toBe(401);
    expect((await stack.call(`/v1/dossiers/${code}`, { as: 'admin' })).status).toBe(403);
  });

  it('answers 404 for tracking with a wrong key', async () => {
    expect((await stack.call(`/v1/tracking/${code}?key=ZZZZZZZZ`)).status).toBe(404);
    expect((await stack.call(`/v1/tracking/${code}?key=bad`)).status).toBe(400);
  });

  it('answers 409 with the current status for an illegal move', async () => {
    expect((await post(`/v1/dossiers/${code}/receive`, 'officer.badinh')).status).toBe(200);
    const again = await post(`/v1/dossiers/${code}/receive`, 'officer.badinh');
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      error: { code: 'INVALID_TRANSITION', details: { status: 'RECEIVED' } },
    });
    const refuse = await post(`/v1/dossiers/${code}/refusal`, 'officer.badinh', { reason: 'Thiếu giấy tờ' });
    expect(refuse.status).toBe(409);
  });

  it('answers a retried move with its first answer, and the key with another body with 422', async () => {
    const other = ((await (await fileBirth()).response.json()) as View).code;
    const key = `refuse-${other}`;
    const refuse = (reason: string, withKey?: string) =>
      post(`/v1/dossiers/${other}/refusal`, 'officer.badinh', { reason }, withKey);
    const first = await refuse('Thiếu giấy tờ', key);
    expect(first.status).toBe(200);
    const firstBody = (await first.json()) as View;
    // The dossier is REFUSED now, so the retry's move is refused; the key's stored answer is what the caller gets.
    const retried = await refuse('Thiếu giấy tờ', key);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual(firstBody);
    const reused = await refuse('Khác', key);
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    // Without the key the same move is the 409 it always was, and the dossier was refused once.
    expect((await refuse('Thiếu giấy tờ')).status).toBe(409);
    const read = (await (await stack.call(`/v1/dossiers/${other}`, { as: 'officer.badinh' })).json()) as {
      status: string;
      history: { status?: string; to?: string }[];
    };
    expect(read.status).toBe('REFUSED');
    expect(read.history.filter((h) => (h.to ?? h.status) === 'REFUSED')).toHaveLength(1);
  });
});

describe('supplement, refusal and withdrawal', () => {
  it('pauses the clock on a supplement request, issues form 02, and resumes on supplement', async () => {
    const code = ((await (await fileBirth()).response.json()) as View).code;
    await post(`/v1/dossiers/${code}/receive`, 'officer.badinh');
    const asked = await post(`/v1/dossiers/${code}/supplement-requests`, 'officer.badinh', {
      items: [{ name: 'Giấy chứng sinh', reason: 'Ảnh chụp mờ, không đọc được' }],
    });
    expect(asked.status).toBe(200);
    const paused = (await asked.json()) as View;
    expect(paused.status).toBe('SUPPLEMENT_REQUESTED');
    expect(paused.deadline?.paused).toBe(true);
    expect(paused.forms.map((f) => f.form)).toContain('02');
    expect((await stack.call(`/v1/dossiers/${code}/forms/02`, { as: 'citizen.an' })).status).toBe(200);

    const newer = await uploadFile(stack, 'citizen.an', {
      procedureCode: BIRTH,
      requirementId: 'giay-chung-sinh',
    });
    const supplemented = await post(`/v1/dossiers/${code}/supplements`, 'citizen.an', {
      documents: [{ requirementId: 'giay-chung-sinh', uploadId: newer }],
    });
    expect(supplemented.status).toBe(200);
    const resumed = (await supplemented.json()) as View;
    expect(resumed.status).toBe('RECEIVED');
    expect(resumed.deadline?.paused).toBe(false);
  });

  it('refuses an online dossier with form 03, and lets the applicant withdraw another', async () => {
    const first = ((await (await fileBirth()).response.json()) as View).code;
    const refused = await post(`/v1/dossiers/${first}/refusal`, 'officer.badinh', {
      reason: 'Không thuộc thẩm quyền',
    });
    expect(refused.status).toBe(200);
    expect(((await refused.json()) as View).status).toBe('REFUSED');
    expect((await stack.call(`/v1/dossiers/${first}/forms/03`, { as: 'officer.badinh' })).status).toBe(200);

    const second = ((await (await fileBirth()).response.json()) as View).code;
    expect(
      (await post(`/v1/dossiers/${second}/withdrawal`, 'citizen.binh', { reason: 'Không cần nữa' })).status,
    ).toBe(404);
    const withdrawn = await post(`/v1/dossiers/${second}/withdrawal`, 'citizen.an', {
      reason: 'Nộp nhầm thủ tục',
    });
    expect(((await withdrawn.json()) as View).status).toBe('WITHDRAWN');
  });
});

describe('counter intake', () => {
  it('receives a complete dossier at once with form 01 and a deadline, and the citizen sees it', async () => {
    const documents = await birthUploads('officer.badinh', true);
    const response = await post('/v1/counter/dossiers', 'officer.badinh', {
      procedureCode: BIRTH,
      applicant: { fullName: 'Trần Thị Bình', citizenId: '001185054321' },
      answers,
      documents,
    });
    expect(response.status).toBe(201);
    const view = (await response.json()) as View & { channel: string; documents: { digitized: boolean }[] };
    expect(view).toMatchObject({ status: 'RECEIVED', channel: 'counter' });
    expect(view.documents.every((d) => d.digitized)).toBe(true);
    expect(view.deadline?.basis.length).toBeGreaterThan(0);
    expect((await stack.call(`/v1/dossiers/${view.code}/forms/01`, { as: 'officer.badinh' })).status).toBe(
      200,
    );
    const mine = (await (await stack.call('/v1/me/dossiers', { as: 'citizen.binh' })).json()) as {
      items: { code: string }[];
    };
    expect(mine.items.map((d) => d.code)).toContain(view.code);
  });
});

describe('forms off the hot path', () => {
  const formObject = async (key: string) =>
    stack.clients.s3.send(new HeadObjectCommand({ Bucket: process.env.BUCKET_DOCUMENTS, Key: key })).then(
      () => true,
      () => false,
    );

  it('stores no PDF when receiving; the first download renders slip 01 at its version’s key, later ones serve it', async () => {
    const { response } = await fileBirth();
    const { code } = (await response.json()) as View;
    const received = (await (await post(`/v1/dossiers/${code}/receive`, 'officer.badinh')).json()) as View & {
      version: number;
    };
    const key = `dossiers/${code}/forms/01-v${received.version}.pdf`;
    expect(await formObject(key)).toBe(false);

    const first = await stack.call(`/v1/dossiers/${code}/forms/01`, { as: 'officer.badinh' });
    expect(first.status).toBe(200);
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await formObject(key)).toBe(true);

    const again = await stack.call(`/v1/dossiers/${code}/forms/01`, { as: 'citizen.an' });
    expect(Buffer.from(await again.arrayBuffer())).toEqual(bytes);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
    expect(text).toContain(`http://motcua.test/v1/tracking/${encodeURIComponent(code)}?key=`);
  });
});

describe('domain events', () => {
  it('writes each committed change’s event in its dossier’s collection, in the same transaction', async () => {
    const { response } = await fileBirth();
    const { code } = (await response.json()) as View;
    await post(`/v1/dossiers/${code}/receive`, 'officer.badinh');
    // A refused move commits nothing and emits nothing.
    expect((await post(`/v1/dossiers/${code}/receive`, 'officer.badinh')).status).toBe(409);
    const { Items = [] } = await dynamoDocumentClient().send(
      new QueryCommand({
        TableName: process.env.TABLE_DOSSIERS,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': `DOSSIER#${code}`, ':event': 'EVENT#' },
        ConsistentRead: true,
      }),
    );
    expect(Items.map((item) => item.entity)).toEqual(['event', 'event']);
    const events = Items.map((item) => parseEvent(item.event));
    expect(events.map((e) => [e.name, e.dossierVersion, e.caller.kind])).toEqual([
      ['DossierFiled', 1, 'citizen'],
      ['DossierReceived', 2, 'officer'],
    ]);
  });
});

describe('counter intake and the personal data store', () => {
  it("puts a counter-filed dossier's reusable documents in the store of the citizen whose verified ID it carries", async () => {
    const cccd = await uploadFile(stack, 'officer.badinh', {
      procedureCode: BIRTH,
      requirementId: 'cccd',
      counter: true,
    });
    const documents = [
      ...(await birthUploads('officer.badinh', true)),
      { requirementId: 'cccd', uploadId: cccd },
    ];
    const response = await post('/v1/counter/dossiers', 'officer.badinh', {
      procedureCode: BIRTH,
      applicant: { fullName: 'Nguyễn Văn An', citizenId: '001090012345' },
      answers,
      documents,
    });
    expect(response.status).toBe(201);
    const { code } = (await response.json()) as View;
    // The personal-store consumer adds them from the committed event, after the response.
    const store = await eventually(
      () => storeOf('citizen.an'),
      (s) => s.items.some((d) => d.id === cccd),
    );
    expect(store.items).toContainEqual(
      expect.objectContaining({ id: cccd, requirementId: 'cccd', sourceDossier: code }),
    );
    const other = (await (await stack.call('/v1/me/documents', { as: 'citizen.binh' })).json()) as {
      items: { id: string }[];
    };
    expect(other.items.map((d) => d.id)).not.toContain(cccd);
  });
});

describe('dossier codes', () => {
  it('gives 50 parallel filings over HTTP at one unit 50 distinct consecutive codes (200 across OS processes: dossier-codes.test.ts)', async () => {
    const documents = await birthUploads('citizen.an');
    const unit = '000.05.01.H26';
    const token = await stack.token('citizen.an');
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${stack.urls.gateway}/v1/dossiers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ procedureCode: BIRTH, unit, applicant: applicantAn, answers, documents }),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    if (statuses.some((s) => s !== 201)) {
      const failed = responses.find((r) => r.status !== 201)!;
      throw new Error(`filing answered ${failed.status}: ${await failed.text()}`);
    }
    const codes = await Promise.all(responses.map(async (r) => ((await r.json()) as View).code));
    const sequences = codes.map((c) => Number(c.split('-').at(-1))).sort((a, b) => a - b);
    expect(new Set(codes).size).toBe(50);
    expect(sequences).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

describe('upload records', () => {
  it('expire 30 days after creation, and an expired one cannot be filed even before TTL deletes it', async () => {
    const [declaration, certificate] = await birthUploads('citizen.an');
    const table = process.env.TABLE_DOSSIERS!;
    const key = { pk: { S: `UPLOAD#${certificate!.uploadId}` }, sk: { S: 'UPLOAD' } };
    const { Item } = await stack.clients.dynamodb.send(new GetItemCommand({ TableName: table, Key: key }));
    const ttl = Number(Item?.ttl?.N);
    expect(ttl - Date.now() / 1000).toBeGreaterThan(29 * 86_400);
    expect(ttl - Date.now() / 1000).toBeLessThanOrEqual(30 * 86_400);
    await stack.clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET #ttl = :past',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':past': { N: String(Math.floor(Date.now() / 1000) - 60) } },
      }),
    );
    const response = await post('/v1/dossiers', 'citizen.an', {
      procedureCode: BIRTH,
      unit: BA_DINH,
      applicant: applicantAn,
      answers,
      documents: [declaration, certificate],
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'INVALID_DOCUMENTS', details: [{ index: 1 }] },
    });
  });
});

describe('the personal data store', () => {
  it('keeps a received dossier’s reusable documents and lets a later dossier reuse them by reference', async () => {
    const cccd = await uploadFile(stack, 'citizen.binh', { procedureCode: BIRTH, requirementId: 'cccd' });
    const documents = [...(await birthUploads('citizen.binh')), { requirementId: 'cccd', uploadId: cccd }];
    const applicant = { fullName: 'Trần Thị Bình', citizenId: '001185054321' };
    const filed = (await (
      await post('/v1/dossiers', 'citizen.binh', {
        procedureCode: BIRTH,
        unit: BA_DINH,
        applicant,
        answers,
        documents,
      })
    ).json()) as View;
    expect(
      (await stack.call('/v1/me/documents', { as: 'citizen.binh' }).then((r) => r.json())) as unknown,
    ).toMatchObject({ items: [] });
    await post(`/v1/dossiers/${filed.code}/receive`, 'officer.badinh');

    const store = await eventually(
      () => storeOf('citizen.binh'),
      (s) => s.items.length > 0,
    );
    // The feed ran as a function instance of its own, as the event source mapping runs it in Lambda.
    const feed = stack.functionStats().find((f) => f.function === 'consumer-personal-store-feed');
    expect(feed?.coldStarts).toBeGreaterThanOrEqual(1);
    expect(feed?.invocations).toBeGreaterThan(0);
    expect(feed?.crashes).toBe(0);
    expect(store.items).toEqual([
      expect.objectContaining({ id: cccd, requirementId: 'cccd', sourceDossier: filed.code }),
    ]);
    const other = (await (await stack.call('/v1/me/documents', { as: 'citizen.an' })).json()) as {
      items: { id: string }[];
    };
    expect(other.items.map((d) => d.id)).not.toContain(cccd);

    const reused = await post('/v1/dossiers', 'citizen.binh', {
      procedureCode: BIRTH,
      unit: BA_DINH,
      applicant,
      answers,
      documents: [
        ...(await birthUploads('citizen.binh')),
        { requirementId: 'cccd', personalDocumentId: cccd },
      ],
    });
    expect(reused.status).toBe(201);
    const view = (await reused.json()) as { documents: { requirementId: string; source: string }[] };
    expect(view.documents.find((d) => d.requirementId === 'cccd')?.source).toBe('personal-store');

    const stolen = await post('/v1/dossiers', 'citizen.an', {
      procedureCode: BIRTH,
      unit: BA_DINH,
      applicant: applicantAn,
      answers,
      documents: [{ requirementId: 'cccd', personalDocumentId: cccd }],
    });
    expect(stolen.status).toBe(400);
  });
});

describe('logs', () => {
  it('never carry a citizen ID or document content, even at debug level', async () => {
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.env.LOG_LEVEL = 'debug';
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      written.push(String(chunk));
      return original(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      const code = ((await (await fileBirth()).response.json()) as View).code;
      expect(code).toBeTruthy();
      await post(`/v1/dossiers/${code}/receive`, 'officer.badinh');
      await post('/v1/dossiers', 'citizen.an', {
        procedureCode: BIRTH,
        unit: BA_DINH,
        applicant: applicantAn,
        answers,
        documents: [],
      });
    } finally {
      process.stdout.write = original;
      process.env.LOG_LEVEL = 'silent';
    }
    const log = written.join('');
    expect(log).toContain('"message":"dossier filed"');
    expect(log).toContain('"resource":"/v1/dossiers/{code}/receive"');
    expect(log).not.toContain('001090012345');
    expect(log).not.toContain('%PDF');
  });
});

describe('pagination cursors', () => {
  const cursorOf = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');

  it('refuse a cursor that points into another person’s or branch’s list, and forged keys, with 400', async () => {
    const someoneElse = cursorOf({
      pk: 'DOSSIER#x',
      sk: 'META',
      gsi1pk: 'APPLICANT#someone-else',
      gsi1sk: 'x',
    });
    expect((await stack.call(`/v1/me/dossiers?cursor=${someoneElse}`, { as: 'citizen.an' })).status).toBe(
      400,
    );
    const otherBranch = cursorOf({
      pk: 'DOSSIER#x',
      sk: 'META',
      gsi2pk: 'BRANCH#000.01.01.H26#SUBMITTED',
      gsi2sk: 'x',
    });
    expect(
      (await stack.call(`/v1/branch/dossiers?cursor=${otherBranch}`, { as: 'officer.badinh' })).status,
    ).toBe(400);
    const forged = cursorOf({ gsi2pk: 'BRANCH#000.02.01.H26#SUBMITTED' });
    expect((await stack.call(`/v1/branch/dossiers?cursor=${forged}`, { as: 'officer.badinh' })).status).toBe(
      400,
    );
    const store = cursorOf({ pk: 'CITIZEN#sub-of-someone', sk: 'DOC#x' });
    expect((await stack.call(`/v1/me/documents?cursor=${store}`, { as: 'citizen.an' })).status).toBe(400);
  });

  it('page a branch queue without repeats', async () => {
    for (let i = 0; i < 3; i += 1) await fileBirth();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await (
        await stack.call(`/v1/branch/dossiers?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
          as: 'officer.badinh',
        })
      ).json()) as { items: { code: string }[]; nextCursor?: string };
      seen.push(...page.items.map((d) => d.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
  });

  // byBranchStatus and byApplicant keep keys only: a page's dossiers are read from the table, and an index entry
  // whose dossier has since moved on (the index follows the table a moment later) is left out.
  it('list dossiers as the table holds them, leaving out an index entry its dossier has moved past', async () => {
    const code = ((await (await fileBirth()).response.json()) as View).code;
    const queue = async (status: string) => {
      const codes: string[] = [];
      let cursor: string | undefined;
      do {
        const page = (await (
          await stack.call(
            `/v1/branch/dossiers?status=${status}&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
            {
              as: 'officer.badinh',
            },
          )
        ).json()) as { items: { code: string; status: string }[]; nextCursor?: string };
        for (const item of page.items) expect(item.status).toBe(status);
        codes.push(...page.items.map((d) => d.code));
        cursor = page.nextCursor;
      } while (cursor);
      return codes;
    };
    expect(await queue('SUBMITTED')).toContain(code);
    const mine = (await (await stack.call('/v1/me/dossiers?limit=50', { as: 'citizen.an' })).json()) as {
      items: { code: string }[];
    };
    expect(mine.items.map((d) => d.code)).toContain(code);
    // The entry says RECEIVED; the dossier itself is still SUBMITTED.
    const key = { pk: { S: `DOSSIER#${code}` }, sk: { S: 'META' } };
    const setQueue = (value: string) =>
      stack.clients.dynamodb.send(
        new UpdateItemCommand({
          TableName: process.env.TABLE_DOSSIERS!,
          Key: key,
          UpdateExpression: 'SET gsi2pk = :queue',
          ExpressionAttributeValues: { ':queue': { S: value } },
        }),
      );
    await setQueue(`BRANCH#${BA_DINH}#RECEIVED`);
    expect(await queue('RECEIVED')).not.toContain(code);
    expect(await queue('SUBMITTED')).not.toContain(code);
    await setQueue(`BRANCH#${BA_DINH}#SUBMITTED`);
    expect(await queue('SUBMITTED')).toContain(code);
  });
});
