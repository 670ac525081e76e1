import { describe, expect, it } from 'vitest';
import {
  generateSecret,
  messageId,
  secretKey,
  sign,
  signedHeaders,
  type VerificationFailure,
  verify,
  WebhookSecretError,
  WebhookVerificationError,
} from '../../shared/webhooks/standard-webhooks';

// The signing example of the Standard Webhooks reference libraries (libraries/javascript/src/webhook.test.ts).
const example = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = (seconds: number) => new Date(seconds * 1000);
const exampleHeaders = () => signedHeaders(example, example.secret);

function failure(run: () => unknown): VerificationFailure | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('sign', () => {
  it('reproduces the published example signature', () => {
    expect(sign(example, example.secret)).toBe(example.signature);
  });

  it('signs the same bytes whether the body is a string or a byte array', () => {
    expect(sign({ ...example, body: new TextEncoder().encode(example.body) }, example.secret)).toBe(
      example.signature,
    );
  });

  it('accepts the key without its whsec_ prefix, as the reference libraries do', () => {
    expect(sign(example, example.secret.slice('whsec_'.length))).toBe(example.signature);
  });

  it('puts one space-separated v1 signature per secret, in order, while a secret is rotated', () => {
    const next = generateSecret();
    const header = sign(example, [next, example.secret]);
    const [first, second] = header.split(' ');
    expect(first).toBe(sign(example, next));
    expect(second).toBe(example.signature);
  });

  it('refuses an id containing a dot, which would make id and timestamp ambiguous in the signed content', () => {
    expect(() => sign({ ...example, id: 'msg.1' }, example.secret)).toThrow(RangeError);
  });

  it('refuses a timestamp that is not whole unix seconds', () => {
    expect(() => sign({ ...example, timestamp: 1614265330.5 }, example.secret)).toThrow(RangeError);
  });

  it('refuses an empty list of secrets', () => {
    expect(() => sign(example, [])).toThrow(WebhookSecretError);
  });
});

describe('verify', () => {
  it('accepts the published example at its own time and says which secret matched', () => {
    expect(verify(exampleHeaders(), example.body, example.secret, at(example.timestamp))).toEqual({
      id: example.id,
      timestamp: example.timestamp,
      secretIndex: 0,
    });
  });

  it('rejects a tampered body as bad-signature', () => {
    const reason = failure(() =>
      verify(exampleHeaders(), '{"test": 2432232315}', example.secret, at(example.timestamp)),
    );
    expect(reason).toBe('bad-signature');
  });

  it('rejects a tampered id as bad-signature', () => {
    const headers = { ...exampleHeaders(), 'webhook-id': 'msg_other' };
    expect(failure(() => verify(headers, example.body, example.secret, at(example.timestamp)))).toBe(
      'bad-signature',
    );
  });

  it('rejects a message signed with another secret as bad-signature', () => {
    expect(
      failure(() => verify(exampleHeaders(), example.body, generateSecret(), at(example.timestamp))),
    ).toBe('bad-signature');
  });

  it('accepts a message signed with the old secret while the receiver holds the new and the old one', () => {
    const next = generateSecret();
    const result = verify(exampleHeaders(), example.body, [next, example.secret], at(example.timestamp));
    expect(result.secretIndex).toBe(1);
  });

  it('accepts a message signed with both secrets when the receiver already holds only the new one', () => {
    const next = generateSecret();
    const headers = signedHeaders(example, [example.secret, next]);
    expect(verify(headers, example.body, next, at(example.timestamp)).secretIndex).toBe(0);
  });

  it('finds the one valid signature among others, skipping other schemes', () => {
    const headers = {
      ...exampleHeaders(),
      'webhook-signature': `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1a,abc= ${example.signature}`,
    };
    expect(verify(headers, example.body, example.secret, at(example.timestamp)).id).toBe(example.id);
  });

  it('does not accept the right bytes under another version tag', () => {
    const headers = { ...exampleHeaders(), 'webhook-signature': example.signature.replace('v1,', 'v2,') };
    expect(failure(() => verify(headers, example.body, example.secret, at(example.timestamp)))).toBe(
      'bad-signature',
    );
  });

  it('rejects a truncated signature', () => {
    const headers = { ...exampleHeaders(), 'webhook-signature': example.signature.slice(0, 12) };
    expect(failure(() => verify(headers, example.body, example.secret, at(example.timestamp)))).toBe(
      'bad-signature',
    );
  });

  it('rejects a timestamp more than 5 minutes old, and one more than 5 minutes ahead', () => {
    const late = at(example.timestamp + 301);
    const early = at(example.timestamp - 301);
    expect(failure(() => verify(exampleHeaders(), example.body, example.secret, late))).toBe(
      'timestamp-out-of-range',
    );
    expect(failure(() => verify(exampleHeaders(), example.body, example.secret, early))).toBe(
      'timestamp-out-of-range',
    );
  });

  it('still accepts a timestamp exactly 5 minutes off', () => {
    expect(verify(exampleHeaders(), example.body, example.secret, at(example.timestamp + 300)).id).toBe(
      example.id,
    );
  });

  it('checks freshness before the signature, so an old replay is reported as such', () => {
    const headers = { ...exampleHeaders(), 'webhook-signature': 'v1,AAAA' };
    expect(failure(() => verify(headers, example.body, example.secret, at(example.timestamp + 3600)))).toBe(
      'timestamp-out-of-range',
    );
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'rejects a message without %s',
    (name) => {
      const headers: Record<string, string> = exampleHeaders();
      delete headers[name];
      expect(failure(() => verify(headers, example.body, example.secret, at(example.timestamp)))).toBe(
        'missing-headers',
      );
    },
  );

  it('rejects a timestamp that is not an integer, and an id containing a dot, as malformed', () => {
    const now = at(example.timestamp);
    const badTime = { ...exampleHeaders(), 'webhook-timestamp': '1614265330.0' };
    const badId = { ...exampleHeaders(), 'webhook-id': 'msg.p5' };
    expect(failure(() => verify(badTime, example.body, example.secret, now))).toBe('malformed-headers');
    expect(failure(() => verify(badId, example.body, example.secret, now))).toBe('malformed-headers');
  });

  it('reads header names case-insensitively, and from a fetch Headers object', () => {
    const now = at(example.timestamp);
    const upper = Object.fromEntries(Object.entries(exampleHeaders()).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verify(upper, example.body, example.secret, now).id).toBe(example.id);
    expect(verify(new Headers(exampleHeaders()), example.body, example.secret, now).id).toBe(example.id);
  });

  it('throws a secret error, not a verification failure, when the receiver’s own secret is unusable', () => {
    expect(() => verify(exampleHeaders(), example.body, 'whsec_c2hvcnQ=', at(example.timestamp))).toThrow(
      WebhookSecretError,
    );
  });
});

describe('generateSecret', () => {
  it('makes a whsec_ secret of 32 random bytes, different each time', () => {
    const one = generateSecret();
    expect(one).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKey(one)).toHaveLength(32);
    expect(generateSecret()).not.toBe(one);
  });

  it('refuses key sizes outside the spec’s 24 to 64 bytes', () => {
    expect(() => generateSecret(16)).toThrow(WebhookSecretError);
    expect(() => generateSecret(65)).toThrow(WebhookSecretError);
  });
});

describe('secretKey', () => {
  it('refuses a key shorter than 24 bytes without repeating it in the message', () => {
    const short = 'whsec_c2hvcnRzZWNyZXQ=';
    expect(() => secretKey(short)).toThrow(WebhookSecretError);
    expect(() => secretKey(short)).not.toThrow(/c2hvcnRzZWNyZXQ/);
  });

  it('refuses a secret that is not base64', () => {
    expect(() => secretKey('whsec_not base64 at all!!')).toThrow(WebhookSecretError);
  });
});

describe('messageId', () => {
  it('is the same for the same parts and differs for other parts', () => {
    const id = messageId('000.00.01.H26-260930-0012', 1, 's0-0');
    expect(messageId('000.00.01.H26-260930-0012', 1, 's0-0')).toBe(id);
    expect(messageId('000.00.01.H26-260930-0012', 2, 's0-0')).not.toBe(id);
    expect(messageId('000.00.01.H26-260930-0012', '1', 's0-0')).not.toBe(id);
  });

  it('makes an id the signature scheme accepts (no dot even when the parts have dots)', () => {
    const id = messageId('000.00.01.H26-260930-0012', 1, 's0-0');
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
    expect(() => sign({ id, timestamp: example.timestamp, body: '{}' }, example.secret)).not.toThrow();
  });
});
