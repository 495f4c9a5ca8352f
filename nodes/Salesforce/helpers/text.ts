/** Longest stretch of a user's or Salesforce's value that an error message quotes. */
export const QUOTE_LIMIT = 200;

/** Longest error message or description kept whole (one that quotes a value already shortened stays as it is). */
export const MESSAGE_LIMIT = 1000;

/**
 * A value shortened for an error message: its start, and its length when it was cut, so that a 200 KB value does not
 * make a 200 KB error. A surrogate pair is never split.
 */
export function abbreviate(text: string, limit = QUOTE_LIMIT): string {
	if (text.length <= limit) return text;
	const end = /[\uD800-\uDBFF]/.test(text.charAt(limit - 1)) ? limit - 1 : limit;
	return `${text.slice(0, end)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** A value as an error message quotes it: strings in quotes, anything else as JSON, abbreviated either way. */
export function quoteValue(value: unknown, limit = QUOTE_LIMIT): string {
	if (typeof value === 'string') return `"${abbreviate(value, limit)}"`;
	if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
	if (value === undefined) return 'undefined';
	return abbreviate(JSON.stringify(value) ?? String(value), limit);
}
