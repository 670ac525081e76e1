// Secrets, declared once: which functions read them (a route's `secrets`), the variable that carries the secret's ARN
// (never its value), and its name per environment. Operators create each secret and put its value; nothing in the
// repository holds one. On the embedded stack the same variables carry a file path instead (local/secrets.ts).
export type SecretId = 'payment-vnpay';

export interface SecretDefinition {
  id: SecretId;
  /** Holds the secret's ARN in the cloud, the path of a git-ignored JSON file on the embedded stack. */
  envVar: string;
  /** Its Secrets Manager name in environment `env`. */
  name: (env: string) => string;
  /** What the value is: a JSON object with these keys. */
  keys: readonly string[];
  description: string;
}

export const secrets: Record<SecretId, SecretDefinition> = {
  'payment-vnpay': {
    id: 'payment-vnpay',
    envVar: 'SECRET_PAYMENT_VNPAY',
    name: (env) => `motcua/${env}/payment/vnpay`,
    keys: ['tmnCode', 'hashSecret', 'payUrl', 'apiUrl'],
    description:
      'The VNPay merchant terminal (vnp_TmnCode), its HMAC-SHA512 key (vnp_HashSecret), and the pay and API URLs it was issued for (sandbox or production)',
  },
};
