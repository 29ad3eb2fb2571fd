/**
 * The first stage of parsing a question: one canonical form of the text, so that every later
 * stage matches plain ASCII words and CJK characters and indices stay valid between stages.
 *
 * - Lone surrogates become U+FFFD; NFKC folds full-width forms ("３０天" → "30天", "：" → ":").
 * - Control, zero-width, bidi and other format characters become spaces.
 * - Curly and CJK quotes become ASCII quotes.
 * - Runs of white space become one space; the ends are trimmed.
 *
 * `asciiLower` lowercases A-Z only, so the lowercased text has the same length (and indices) as
 * the original: values (user names, event names) are cut from the original by those indices.
 */

const QUOTES: Record<string, string> = {
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u300c': '"',
  '\u300d': '"',
  '\u300e': '"',
  '\u300f': '"',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
};

function isFormatOrControl(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0xad ||
    c === 0x61c ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x206f) ||
    c === 0xfeff ||
    (c >= 0xfff9 && c <= 0xfffb)
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** The canonical form of a question (see the module comment). Linear in the length of `text`. */
export function normalizeQuestionText(text: string): string {
  const folded = String(text).toWellFormed().normalize('NFKC');
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < folded.length; i++) {
    const ch = folded[i];
    const c = ch.charCodeAt(0);
    if (isFormatOrControl(c) || isSpace(c)) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += QUOTES[ch] ?? ch;
  }
  return out;
}

/** Lowercases A-Z only: same length and indices as the input. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** CJK ideographs (Han script): a question containing one is answered in Chinese. */
export function hasHan(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

export function isHanChar(ch: string): boolean {
  return /^\p{Script=Han}$/u.test(ch);
}
