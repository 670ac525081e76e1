// An integer VND amount in Vietnamese words, as e-receipts and invoices print "Số tiền bằng chữ".
//
// The reading follows the usual northern, written usage of receipt software:
// - groups of three digits under the scales nghìn, triệu, tỷ; above a tỷ the count of tỷ is read the same way again
//   (10^12 = "một nghìn tỷ", 10^15 = "một triệu tỷ"), up to Number.MAX_SAFE_INTEGER;
// - "nghìn", not the southern "ngàn";
// - a group after a higher one is read whole, zero hundreds included ("một triệu không trăm linh năm nghìn"), while a
//   group that is all zeros is left out ("một tỷ hai trăm năm mươi nghìn", not "... không triệu ...");
// - "linh" for a zero ten before a unit ("một trăm linh năm");
// - after mươi (20–90): 1 is "mốt", 5 is "lăm" and 4 is "tư" ("hai mươi tư"). "Hai mươi bốn" is as correct; "tư" is
//   chosen because it is what receipt and invoice software commonly print, and one spelling keeps receipts uniform.
//   After mười (10–19) the unit keeps its own name except 5: "mười một", "mười bốn", "mười lăm".

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
const GROUP_SCALES = ['', 'nghìn', 'triệu'] as const;
const BILLION = 1_000_000_000;

/** `1_250_000` → `Một triệu hai trăm năm mươi nghìn đồng`; RangeError on a negative, fractional or unsafe number. */
export function vndInWords(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`not a VND amount (a non-negative safe integer): ${amount}`);
  }
  const words = amount === 0 ? DIGITS[0] : readNumber(amount, false);
  return `${words.charAt(0).toLocaleUpperCase('vi')}${words.slice(1)} đồng`;
}

/**
 * Words for n > 0. `whole` means a higher part has been read already, so leading zeros of this part are spoken
 * ("không trăm ..."). Above a tỷ, the count of tỷ is itself read as a number (it may hold nghìn and triệu).
 */
function readNumber(n: number, whole: boolean): string {
  if (n >= BILLION) {
    const billions = Math.floor(n / BILLION);
    const rest = n % BILLION;
    const head = `${readNumber(billions, whole)} tỷ`;
    return rest === 0 ? head : `${head} ${readNumber(rest, true)}`;
  }
  const parts: string[] = [];
  let spoken = whole;
  for (let scale = GROUP_SCALES.length - 1; scale >= 0; scale--) {
    const group = Math.floor(n / 1000 ** scale) % 1000;
    if (group === 0) continue;
    const scaleWord = GROUP_SCALES[scale]!;
    const groupWords = readGroup(group, spoken);
    parts.push(scaleWord ? `${groupWords} ${scaleWord}` : groupWords);
    spoken = true;
  }
  return parts.join(' ');
}

/** Words for one group 1–999; `whole` reads its zero hundreds ("không trăm linh năm" for 005). */
function readGroup(group: number, whole: boolean): string {
  const hundreds = Math.floor(group / 100);
  const tens = Math.floor(group / 10) % 10;
  const units = group % 10;
  const words: string[] = [];
  const readHundreds = hundreds > 0 || whole;
  if (readHundreds) words.push(DIGITS[hundreds]!, 'trăm');
  if (tens === 0) {
    if (units > 0) {
      if (readHundreds) words.push('linh');
      words.push(DIGITS[units]!);
    }
  } else if (tens === 1) {
    words.push('mười');
    if (units > 0) words.push(units === 5 ? 'lăm' : DIGITS[units]!);
  } else {
    words.push(DIGITS[tens]!, 'mươi');
    if (units > 0) words.push(AFTER_MUOI[units] ?? DIGITS[units]!);
  }
  return words.join(' ');
}

const AFTER_MUOI: Readonly<Partial<Record<number, string>>> = { 1: 'mốt', 4: 'tư', 5: 'lăm' };
