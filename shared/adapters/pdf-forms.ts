// The form renderer port, implemented by the PDF renderer in shared/forms.
import { renderReceiptSlip, renderRefusal, renderSupplementRequest } from '../forms/render';
import type { FormRenderer } from '../ports/form-renderer';

export const pdfForms: FormRenderer = {
  receiptSlip: renderReceiptSlip,
  supplementRequest: renderSupplementRequest,
  refusal: renderRefusal,
};
