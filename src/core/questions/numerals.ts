/**
 * Numbers written as words in questions: "seven", "twenty-four", "七", "三十", "二十四", "两".
 * Each parser returns undefined for anything that is not a whole number it knows.
 */

const EN_ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;

/** A regex source matching the English number words parseEnglishNumber reads (longest first). */
export const EN_NUMBER_WORDS_SOURCE = `(?:a hundred|one hundred|hundred|(?:${EN_TENS.slice(2).join('|')})(?:[- ](?:${EN_ONES.slice(1, 10).join('|')}))?|${[
  ...EN_ONES,
]
  .reverse()
  .join('|')})`;

/** "seven" → 7, "twenty-four" / "twenty four" → 24, "a hundred" → 100; 0-100. */
export function parseEnglishNumber(words: string): number | undefined {
  const w = words.trim().toLowerCase();
  if (w === 'hundred' || w === 'a hundred' || w === 'one hundred') return 100;
  const ones = (EN_ONES as readonly string[]).indexOf(w);
  if (ones >= 0) return ones;
  const parts = w.split(/[- ]/);
  if (parts.length > 2) return undefined;
  const tens = (EN_TENS as readonly string[]).indexOf(parts[0]);
  if (tens < 2) return undefined;
  if (parts.length === 1) return tens * 10;
  const unit = (EN_ONES as readonly string[]).indexOf(parts[1]);
  return unit >= 1 && unit <= 9 ? tens * 10 + unit : undefined;
}

const ZH_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const ZH_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** The characters parseChineseNumber reads, as a regex character class source. */
export const ZH_NUMBER_CHARS_SOURCE = '[零〇一二两三四五六七八九十百千]';

/** "七" → 7, "十" → 10, "二十四" → 24, "三百六十五" → 365, "两" → 2; 0-9999. */
export function parseChineseNumber(text: string): number | undefined {
  if (text.length === 0 || text.length > 12) return undefined;
  let total = 0;
  let digit: number | undefined;
  let lastUnit = Number.POSITIVE_INFINITY;
  for (const ch of text) {
    if (ch in ZH_DIGITS) {
      if (digit !== undefined && digit !== 0) return undefined; // "二三": not a number
      digit = ZH_DIGITS[ch];
    } else if (ch in ZH_UNITS) {
      const unit = ZH_UNITS[ch];
      if (unit >= lastUnit) return undefined; // "十十", "十百"
      total += (digit ?? 1) * unit;
      digit = undefined;
      lastUnit = unit;
    } else {
      return undefined;
    }
  }
  return total + (digit ?? 0);
}

/** Digits ("30", leading zeros allowed), English words or Chinese numerals. */
export function parseCount(text: string): number | undefined {
  if (/^\d{1,9}$/.test(text)) return Number(text);
  return parseEnglishNumber(text) ?? parseChineseNumber(text);
}
