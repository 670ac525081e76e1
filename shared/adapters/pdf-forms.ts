// The form renderer port, implemented by the PDF renderer in shared/forms.
import {
  renderApology,
  renderControlSlip,
  renderReceiptSlip,
  renderRefusal,
  renderStopNotice,
  renderSupplementRequest,
} from '../forms/render';
import type { FormRenderer } from '../ports/form-renderer';

export const pdfForms: FormRenderer = {
  receiptSlip: renderReceiptSlip,
  supplementRequest: renderSupplementRequest,
  refusal: renderRefusal,
  apology: renderApology,
  stopNotice: renderStopNotice,
  controlSlip: renderControlSlip,
};
