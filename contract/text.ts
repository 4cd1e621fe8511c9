// What counts as acceptable text where people read it: todo titles and display names. The server
// refuses anything else and the web app can say why before sending, with the same words.
//
// One-line text, shown as typed: no control characters (NUL cannot even be stored in Postgres, and
// line breaks or BEL have no place in a title), no bidirectional embeddings, overrides or isolates
// (they reorder the characters around them, so "gpj.exe" can display as "exe.jpg"), and at least one
// character that shows: white space, zero-width spaces and joiners and other invisible characters
// alone read as empty. Unpaired UTF-16 surrogates are not text at all: the database would store a
// replacement character in their place, so what is read back would differ from what was sent.

/** Longest display name, in characters (UTF-16 code units, as an input's maxLength counts). */
export const NAME_MAX_LENGTH = 100;

/** C0 and C1 control characters (NUL, BEL, tab, line feed, DEL, …) and the Unicode line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
/** Bidirectional embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** An unpaired surrogate: in a `u` regex a lone surrogate is a code point of its own. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;
/** Characters that show nothing by themselves: white space, format characters, default ignorables. */
const INVISIBLE = /[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Why `text` is not acceptable visible text, as a phrase that completes "<field> …" (e.g. "must not
 * be empty"), or undefined when it is. `text` is checked as given: trim white space first where the
 * field is trimmed (titles and names are).
 */
export function visibleTextProblem(text: string, maxLength: number): string | undefined {
  if (text.length === 0) return "must not be empty";
  if (text.length > maxLength) return `must be at most ${maxLength} characters`;
  if (UNPAIRED_SURROGATE.test(text)) return "must be valid Unicode text (it has an unpaired surrogate)";
  if (CONTROL.test(text)) return "must not contain control characters (line breaks, tabs, NUL, …)";
  if (BIDI_CONTROL.test(text))
    return "must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)";
  if (text.replace(INVISIBLE, "").length === 0) return "must contain a visible character";
  return undefined;
}

/**
 * The longest e-mail address, in characters: RFC 5321's limit on a path (256, less the angle
 * brackets). Every access token carries the address, so this also bounds the token's size.
 */
export const EMAIL_MAX_LENGTH = 254;
