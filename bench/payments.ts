// Payment callbacks on the embedded stack: VNPay IPNs per second at 1 and 16 in flight, each a real settlement (a
// pending payment of its own dossier, signed with the merchant's key as the sandbox signs), and the DynamoDB calls
// the callback function makes per IPN, counted on its instances' own clients, beside the minimum.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoAccounts, demoBirth } from '../local/demo';
import { loadSeed } from '../local/seed';
import { startStack } from '../local/stack';
import { signVnpayParams, vnpayDate } from '../shared/adapters/payment/vnpay';
import { secrets } from '../shared/data/secrets';
import { rate } from './stats';

export interface IpnBench {
  rates: { inFlight: number; count: number; perSecond: number }[];
  calls: { perIpn: number; which: Record<string, number>; minimum: number };
}

const FEE_VND = 150_000;

export async function ipnBench(options: { ipns: number }): Promise<IpnBench> {
  process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'silent';
  const stack = await startStack({
    ports: { gateway: 0, dynamodb: 0, s3: 0 },
    s3Dir: mkdtempSync(join(tmpdir(), 'motcua-bench-')),
    throttle: { ratePerSecond: 1e9, burst: 1e9 },
    prefix: 'benchpay',
    pool: { countDynamoDbCalls: true, maxInstances: 16 },
    consumers: false,
    scheduleEveryMs: 0,
    sweepEveryMs: 0,
  });
  try {
    const base = stack.urls.gateway;
    const bearer = async (username: string) => ({
      authorization: `Bearer ${await stack.issuer.mint(demoAccounts.find((a) => a.username === username)!)}`,
      'content-type': 'application/json',
    });
    const ok = async (response: Response, what: string) => {
      if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
      return response;
    };
    const admin = await bearer('admin');
    const citizen = await bearer('citizen.an');
    const birth = loadSeed().procedures.find((p) => p.code === demoBirth.procedureCode)!;
    await ok(
      await fetch(`${base}/v1/admin/procedures`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          ...birth,
          fees: [
            { id: 'phi', name: { vi: 'Phí', en: 'Fee' }, amountVnd: FEE_VND, kind: 'fee', setBy: 'ministry' },
          ],
          feesDueWhen: 'before-processing',
        }),
      }),
      'publish',
    );
    // Uploads once: a filing copies them, so every dossier can file the same two.
    const upload = async (requirementId: string) => {
      const bytes = Buffer.from(`%PDF-1.4\n% bench ${requirementId} ${Math.random()}\n%%EOF\n`);
      const ticket = await ok(
        await fetch(`${base}/v1/uploads`, {
          method: 'POST',
          headers: citizen,
          body: JSON.stringify({
            procedureCode: birth.code,
            requirementId,
            fileName: `${requirementId}.pdf`,
            contentType: 'application/pdf',
            sizeBytes: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('base64'),
          }),
        }),
        'ticket',
      );
      const { uploadId, upload: put } = (await ticket.json()) as {
        uploadId: string;
        upload: { url: string; headers: Record<string, string> };
      };
      await ok(await fetch(put.url, { method: 'PUT', headers: put.headers, body: bytes }), 'put');
      await ok(
        await fetch(`${base}/v1/uploads/${uploadId}/complete`, { method: 'POST', headers: citizen }),
        'complete',
      );
      return { requirementId, uploadId };
    };
    const documents = [await upload('to-khai-dang-ky-khai-sinh'), await upload('giay-chung-sinh')];
    const { tmnCode, hashSecret } = JSON.parse(
      readFileSync(process.env[secrets['payment-vnpay'].envVar]!, 'utf8'),
    ) as { tmnCode: string; hashSecret: string };

    /** A dossier with a pending payment, and the IPN VNPay would send for it. */
    const pendingIpn = async (i: number) => {
      const filed = await ok(
        await fetch(`${base}/v1/dossiers`, {
          method: 'POST',
          headers: citizen,
          body: JSON.stringify({ ...demoBirth, documents }),
        }),
        'file',
      );
      const { code } = (await filed.json()) as { code: string };
      const created = await ok(
        await fetch(`${base}/v1/dossiers/${code}/payments`, {
          method: 'POST',
          headers: { ...citizen, 'idempotency-key': `bench-pay-${i}-${code}` },
          body: '{"locale":"vi"}',
        }),
        'pay',
      );
      const { payment } = (await created.json()) as { payment: { id: string } };
      const params: Record<string, string> = {
        vnp_TmnCode: tmnCode,
        vnp_TxnRef: payment.id,
        vnp_Amount: String(FEE_VND * 100),
        vnp_ResponseCode: '00',
        vnp_TransactionStatus: '00',
        vnp_TransactionNo: String(10_000_000 + i),
        vnp_BankCode: 'NCB',
        vnp_PayDate: vnpayDate(new Date()),
        vnp_OrderInfo: `Thanh toan ${code}`,
      };
      return new URLSearchParams({
        ...params,
        vnp_SecureHash: signVnpayParams(params, hashSecret),
      }).toString();
    };
    const ipn = async (query: string) => {
      const response = await ok(await fetch(`${base}/v1/payments/vnpay/ipn?${query}`), 'ipn');
      const { RspCode } = (await response.json()) as { RspCode: string };
      if (RspCode !== '00') throw new Error(`IPN answered ${RspCode}`);
    };

    // Warm the callback function, 16 instances of it as 16 in flight need, then measure steady state.
    const warm = await Promise.all(Array.from({ length: 16 }, (_, i) => pendingIpn(i)));
    await Promise.all(warm.map(ipn));
    const rates: IpnBench['rates'] = [];
    for (const inFlight of [1, 16]) {
      const count = inFlight === 1 ? Math.max(8, Math.floor(options.ipns / 4)) : options.ipns;
      const queries: string[] = [];
      await rate(count, 16, async (i) => void queries.push(await pendingIpn(1000 * inFlight + i)));
      rates.push({ inFlight, count, perSecond: await rate(count, inFlight, (i) => ipn(queries[i]!)) });
    }

    const statsOf = () => stack.functionStats().find((f) => f.function === 'vnpayCallback')!;
    const queries = await Promise.all(Array.from({ length: 8 }, (_, i) => pendingIpn(9000 + i)));
    const before = { ...statsOf().dynamodbCalls };
    const invocationsBefore = statsOf().invocations;
    for (const query of queries) await ipn(query);
    const after = statsOf();
    const which: Record<string, number> = {};
    for (const [command, n] of Object.entries(after.dynamodbCalls)) {
      const delta = n - (before[command] ?? 0);
      if (delta) which[command] = delta;
    }
    const invocations = after.invocations - invocationsBefore;
    const total = Object.values(which).reduce((a, b) => a + b, 0);
    return {
      rates,
      // The payment's pointer, the dossier, one transaction (dossier, history, event); the audit entry is appended by
      // the audit consumer from the event, out of the request.
      calls: { perIpn: total / invocations, which, minimum: 3 },
    };
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await ipnBench({ ipns: Number(process.env.BENCH_IPNS ?? 64) });
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
