// Structural checks of Vietnamese identity numbers: the 12-digit citizen ID (CCCD) and business tax codes.

// Province and city codes of the personal identification number (Circular 59/2021/TT-BCA, Appendix).
const provinceCodes = new Set([
  '001',
  '002',
  '004',
  '006',
  '008',
  '010',
  '011',
  '012',
  '014',
  '015',
  '017',
  '019',
  '020',
  '022',
  '024',
  '025',
  '026',
  '027',
  '030',
  '031',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '040',
  '042',
  '044',
  '045',
  '046',
  '048',
  '049',
  '051',
  '052',
  '054',
  '056',
  '058',
  '060',
  '062',
  '064',
  '066',
  '067',
  '068',
  '070',
  '072',
  '074',
  '075',
  '077',
  '079',
  '080',
  '082',
  '083',
  '084',
  '086',
  '087',
  '089',
  '091',
  '092',
  '093',
  '094',
  '095',
  '096',
]);

/**
 * A CCCD is 12 digits: province of birth registration (3), century-and-sex (1: 0/1 for the 1900s, 2/3 for
 * the 2000s, 4/5 for the 2100s…), the last two digits of the birth year (2), then 6 random digits.
 */
export function isCitizenId(value: string, today = new Date()): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  if (!provinceCodes.has(value.slice(0, 3))) return false;
  const centuryDigit = Number(value[3]);
  if (centuryDigit > 9) return false;
  const year = 1900 + Math.floor(centuryDigit / 2) * 100 + Number(value.slice(4, 6));
  return year <= today.getUTCFullYear();
}

/** A tax code is 10 digits with a check digit (weights 31, 29, 23, 19, 17, 13, 7, 5, 3), optionally `-NNN` for a branch. */
export function isTaxCode(value: string): boolean {
  const match = /^(\d{10})(?:-(\d{3}))?$/.exec(value);
  if (!match) return false;
  const digits = match[1]!.split('').map(Number);
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  const sum = weights.reduce((total, weight, i) => total + weight * digits[i]!, 0);
  return 10 - (sum % 11) === digits[9];
}

/** Shows only the first three and last two digits, as printed slips and screens should. */
export function maskCitizenId(value: string): string {
  return value.length < 6
    ? '*'.repeat(value.length)
    : `${value.slice(0, 3)}${'*'.repeat(value.length - 5)}${value.slice(-2)}`;
}
