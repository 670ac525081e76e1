// The citizen's browser at the payment provider: it opens the signed checkout URL the API gave, presses a button on
// the provider's page (on the embedded stack, the VNPay sandbox's form), and follows the redirect back to our return
// page. The verdict reaches the API by the provider's signed IPN, never by this browser.
import type { MotcuaApi } from './http';

export type CheckoutChoice = 'approve' | 'decline' | 'approve-lost-ipn';

/** Pays on the provider's page; returns the text of our return page the browser lands on. */
export async function payAtCheckout(
  api: MotcuaApi,
  redirectUrl: string,
  choice: CheckoutChoice = 'approve',
): Promise<string> {
  api.counts.provider += 1;
  const page = await fetch(redirectUrl);
  const html = await page.text();
  if (!page.ok) throw new Error(`checkout page answered ${page.status}: ${html.slice(0, 200)}`);
  const hidden = (name: string) => {
    const value = new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
    if (!value) throw new Error(`the checkout page has no ${name} field`);
    return value;
  };
  api.counts.provider += 1;
  const pressed = await fetch(new URL('/paymentv2/decide', redirectUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      txnRef: hidden('txnRef'),
      nonce: hidden('nonce'),
      decision: choice,
      bankCode: 'NCB',
    }),
    redirect: 'manual',
  });
  const back = pressed.headers.get('location');
  if (pressed.status !== 303 || !back)
    throw new Error(`the checkout answered ${pressed.status}: ${(await pressed.text()).slice(0, 200)}`);
  const returned = await api.fetch(back);
  return returned.text();
}
