// What the payment integration tests share: a version of birth registration with a ministry-set fee (Hanoi's online
// relief covers only council-set ones) due before processing, a dossier filed online by citizen.an and received by the
// Ba Đình officer, and the citizen's browser on the sandbox provider's checkout page.
import { expect } from 'vitest';
import { demoBirth } from '../../../local/demo';
import { procedure } from '../../unit/fixtures';
import type { TestStack } from './stack';
import { uploadFile } from './uploads';

export const FEE_VND = 150_000;
export const { procedureCode: BIRTH, unit: BA_DINH } = demoBirth;

export type SandboxDecision = 'approve' | 'decline' | 'approve-lost-ipn';

/** The helpers, bound to a stack that a `beforeAll` starts (hence the getter). */
export function paymentFlow(stackOf: () => TestStack) {
  const post = (path: string, as: string, body?: unknown, headers: Record<string, string> = {}) =>
    stackOf().call(path, {
      method: 'POST',
      as,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  async function json<T>(response: Response, status: number): Promise<T> {
    expect(response.status, await response.clone().text()).toBe(status);
    return (await response.json()) as T;
  }

  /**
   * Publishes the fee-bearing version; `feeName` lets a test give the fee a name worth escaping, `dueWhen` makes them
   * due before the result is released instead (thu sau).
   */
  async function publishFeeVersion(
    feeName = 'Phí thử nghiệm',
    dueWhen: 'before-processing' | 'before-release' = 'before-processing',
  ) {
    const published = await post('/v1/admin/procedures', 'admin', {
      ...procedure(BIRTH),
      fees: [
        {
          id: 'phi-thu-nghiem',
          name: { vi: feeName, en: 'Test fee' },
          amountVnd: FEE_VND,
          kind: 'fee',
          setBy: 'ministry',
        },
      ],
      feesDueWhen: dueWhen,
    });
    if (published.status !== 201) throw new Error(`publish ${published.status}: ${await published.text()}`);
  }

  /** Files the birth registration online as citizen.an and has the Ba Đình officer receive it. */
  async function receivedDossier(): Promise<string> {
    const documents = await Promise.all(
      ['to-khai-dang-ky-khai-sinh', 'giay-chung-sinh'].map(async (requirementId) => ({
        requirementId,
        uploadId: await uploadFile(stackOf(), 'citizen.an', { procedureCode: BIRTH, requirementId }),
      })),
    );
    const { answers, applicant } = demoBirth;
    const filed = await json<{ code: string }>(
      await post('/v1/dossiers', 'citizen.an', {
        procedureCode: BIRTH,
        unit: BA_DINH,
        applicant,
        answers,
        documents,
      }),
      201,
    );
    await json(await post(`/v1/dossiers/${filed.code}/receive`, 'officer.badinh'), 200);
    return filed.code;
  }

  const startPayment = (code: string, key: string, as = 'citizen.an') =>
    post(`/v1/dossiers/${code}/payments`, as, { locale: 'vi' }, { 'idempotency-key': key });

  /** Decides the payment on the sandbox's checkout page, as the citizen's browser does; returns the page and redirect. */
  async function checkout(redirectUrl: string, decision: SandboxDecision) {
    const page = await fetch(redirectUrl);
    const html = await page.text();
    expect(page.status, html).toBe(200);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
    const decided = await fetch(new URL('/paymentv2/decide', redirectUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        txnRef: field('txnRef')!,
        nonce: field('nonce')!,
        decision,
        bankCode: 'NCB',
      }),
      redirect: 'manual',
    });
    expect(decided.status, await decided.clone().text()).toBe(303);
    return { html, location: decided.headers.get('location')! };
  }

  /** Starts a payment and decides it on the checkout page; returns the payment's id. */
  async function pay(code: string, key: string, decision: SandboxDecision = 'approve'): Promise<string> {
    const { payment } = await json<{ payment: { id: string; redirectUrl: string } }>(
      await startPayment(code, key),
      201,
    );
    await checkout(payment.redirectUrl, decision);
    return payment.id;
  }

  return { post, json, publishFeeVersion, receivedDossier, startPayment, checkout, pay };
}
