// The payment provider's merchant secret on the embedded stack: the JSON the cloud keeps in Secrets Manager
// (`motcua/<env>/payment/vnpay`: tmnCode, hashSecret, payUrl, apiUrl), in a git-ignored file beside the data. The key
// is made once and kept, so payments started before a restart still verify after it; the URLs follow the sandbox.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SANDBOX_TMN_CODE = 'MOTCUA01';

interface SecretValue {
  tmnCode: string;
  hashSecret: string;
  payUrl: string;
  apiUrl: string;
}

function write(file: string, value: SecretValue) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

export function localPaymentSecret(dir: string) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'payment-vnpay.json');
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<SecretValue>) : {};
  const value: SecretValue = {
    tmnCode: kept.tmnCode ?? SANDBOX_TMN_CODE,
    hashSecret: kept.hashSecret ?? randomBytes(24).toString('hex').toUpperCase(),
    // Until the sandbox listens: a payment started before it would fail to reach it, and none can be.
    payUrl: kept.payUrl ?? 'http://127.0.0.1:9/paymentv2/vpcpay.html',
    apiUrl: kept.apiUrl ?? 'http://127.0.0.1:9/merchant_webapi/api/transaction',
  };
  write(file, value);
  return {
    file,
    tmnCode: value.tmnCode,
    hashSecret: value.hashSecret,
    /** Points the secret at the running sandbox provider. */
    point(sandbox: { payUrl: string; apiUrl: string }) {
      write(file, { ...value, payUrl: sandbox.payUrl, apiUrl: sandbox.apiUrl });
    },
  };
}
