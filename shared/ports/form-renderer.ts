// Renders the one-stop forms; the PDF adapter is shared/forms, tests pass a fake.
import type {
  ApologyInput,
  ControlSlipInput,
  ReceiptSlipInput,
  RefusalInput,
  StopNoticeInput,
  SupplementRequestInput,
} from '../forms/types';

export interface FormRenderer {
  receiptSlip(input: ReceiptSlipInput): Promise<Uint8Array>;
  supplementRequest(input: SupplementRequestInput): Promise<Uint8Array>;
  refusal(input: RefusalInput): Promise<Uint8Array>;
  apology(input: ApologyInput): Promise<Uint8Array>;
  stopNotice(input: StopNoticeInput): Promise<Uint8Array>;
  controlSlip(input: ControlSlipInput): Promise<Uint8Array>;
}
