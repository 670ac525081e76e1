// Payment routes (ARCHITECTURE.md §2 "Payment"): the applicant starts a payment; the provider's server calls back
// (auth kind `provider`: the signature inside its parameters is the proof); the citizen's browser comes back.
import { errorBodySchema, lazySchema } from '../../schemas/common';
import { codePathSchema, paymentViewSchema } from '../../schemas/dossiers';
import * as z from '../../schemas/zod';
import type { RouteDefinition } from '../route-types';

const createPaymentSchema = z
  .object({
    locale: z
      ._default(z.enum(['vi', 'en']), 'vi')
      .check(z.describe("The language of the provider's checkout page")),
  })
  .check(z.meta({ id: 'CreatePayment' }));

const paymentAnswerSchema = lazySchema(() =>
  z.object({ created: z.boolean(), payment: paymentViewSchema() }).check(z.meta({ id: 'PaymentAnswer' })),
);

// The provider's parameters are taken as sent (their names are the provider's, their signature covers them all):
// nothing here may refuse a callback with a 400 the provider cannot read.
const providerParamsSchema = z.catchall(z.object({}), z.string().check(z.maxLength(2000)));

const vnpayReplySchema = z
  .object({
    RspCode: z.enum(['00', '01', '02', '04', '97', '99']),
    Message: z.string(),
  })
  .check(z.meta({ id: 'VnpayIpnReply' }));

const refundRequestSchema = z
  .object({
    reason: z
      .string()
      .check(
        z.trim(),
        z.minLength(1),
        z.maxLength(500),
        z.describe('Why the money goes back (kept in the history)'),
      ),
  })
  .check(z.meta({ id: 'RefundRequest' }));

const refundAnswerSchema = z
  .object({
    refund: z.object({
      id: z.string(),
      paymentId: z.string(),
      amountVnd: z.number().check(z.int()),
      kind: z.enum(['full', 'partial']),
      status: z.enum(['pending', 'refunded', 'failed']),
      responseCode: z.optional(z.string()),
    }),
    refundDueVnd: z.number().check(z.int(), z.describe('Still due back after this refund')),
  })
  .check(z.meta({ id: 'RefundAnswer' }));

export const createPayment = {
  id: 'createPayment',
  method: 'POST',
  path: '/v1/dossiers/{code}/payments',
  summary:
    "Pay the dossier's outstanding fees online (its applicant): the provider's checkout URL; while a payment is open, the same one",
  tags: ['payments'],
  auth: { kind: 'citizen' },
  handler: 'functions/payments/create-payment.ts',
  request: { path: codePathSchema, body: createPaymentSchema, idempotent: true },
  responses: {
    201: {
      description: 'A payment started: send the browser to `payment.redirectUrl`',
      schema: paymentAnswerSchema,
    },
    200: { description: 'The payment already open, unchanged', schema: paymentAnswerSchema },
    409: {
      description: '`NOTHING_TO_PAY` (free, relieved, exempt, or closed) or `ALREADY_PAID`',
      schema: errorBodySchema,
    },
  },
  uses: { dossiers: 'readwrite', idempotency: 'readwrite' },
  secrets: ['payment-vnpay'],
} as const satisfies RouteDefinition;

export const refundDossier = {
  id: 'refundDossier',
  method: 'POST',
  path: '/v1/dossiers/{code}/refunds',
  summary:
    'Send back what a dossier does not owe (a supervisor of its branch): reserved, then asked of the provider once',
  tags: ['payments'],
  auth: { kind: 'staff', roles: ['supervisor'] },
  handler: 'functions/payments/refund-dossier.ts',
  request: { path: codePathSchema, body: refundRequestSchema, idempotent: true },
  responses: {
    200: {
      description: "The provider's answer: `refunded`, or `failed` (still due: approve again)",
      schema: refundAnswerSchema,
    },
    202: {
      description:
        'Reserved, the provider has not answered yet: approving again asks it about this same refund',
      schema: refundAnswerSchema,
    },
    409: {
      description: '`NOTHING_TO_REFUND`, or `VERSION_CONFLICT` when another approval came first',
      schema: errorBodySchema,
    },
  },
  uses: { dossiers: 'readwrite', idempotency: 'readwrite' },
  secrets: ['payment-vnpay'],
} as const satisfies RouteDefinition;

export const vnpayCallback = {
  id: 'vnpayCallback',
  method: 'GET',
  path: '/v1/payments/vnpay/ipn',
  summary:
    "VNPay's server-to-server callback (IPN): verified, then recorded once; always answered 200 with VNPay's reply code",
  tags: ['payments'],
  auth: { kind: 'provider' },
  handler: 'functions/payments/vnpay-callback.ts',
  request: { query: providerParamsSchema },
  responses: {
    200: {
      description:
        '`RspCode` 00 recorded (a failed payment too), 01 no such payment, 02 already settled, 04 amount differs, 97 bad signature, 99 our fault (call again)',
      schema: vnpayReplySchema,
    },
  },
  uses: { dossiers: 'readwrite', audit: 'readwrite' },
  secrets: ['payment-vnpay'],
} as const satisfies RouteDefinition;

export const vnpayReturn = {
  id: 'vnpayReturn',
  method: 'GET',
  path: '/v1/payments/vnpay/return',
  summary:
    'Where the citizen’s browser comes back from VNPay: a page saying where the payment stands; it never marks anything paid',
  tags: ['payments'],
  auth: { kind: 'public' },
  handler: 'functions/payments/vnpay-return.ts',
  request: { query: providerParamsSchema },
  responses: {
    200: { description: 'An HTML page (Vietnamese and English)', contentType: 'text/html; charset=utf-8' },
  },
  uses: { dossiers: 'read' },
  secrets: ['payment-vnpay'],
} as const satisfies RouteDefinition;
