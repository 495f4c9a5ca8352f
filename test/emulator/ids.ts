// Salesforce record IDs: 15 case-sensitive characters plus a 3-character case-safe suffix.
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_PATTERN = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

export function caseSafeSuffix(id15: string): string {
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let bits = 0;
		for (let i = 0; i < 5; i++) {
			const c = id15[chunk * 5 + i];
			if (c >= 'A' && c <= 'Z') bits |= 1 << i;
		}
		suffix += SUFFIX_ALPHABET[bits];
	}
	return suffix;
}

/** Returns the 18-character form of a 15- or 18-character ID, or undefined when it is not a well-formed ID. */
export function toId18(id: unknown): string | undefined {
	if (typeof id !== 'string' || !ID_PATTERN.test(id)) return undefined;
	const id15 = id.slice(0, 15);
	const id18 = id15 + caseSafeSuffix(id15);
	if (id.length === 18 && id.slice(15).toUpperCase() !== id18.slice(15)) return undefined;
	return id18;
}

export function isIdLike(value: string): boolean {
	return ID_PATTERN.test(value);
}

/** Sequential IDs: string order follows creation order, as with real Salesforce IDs of one org. */
export class IdGenerator {
	private counter = 0;
	next(keyPrefix: string): string {
		let n = ++this.counter;
		let digits = '';
		for (let i = 0; i < 7; i++) {
			digits = BASE62[n % 62] + digits;
			n = Math.floor(n / 62);
		}
		const id15 = keyPrefix + '8a000' + digits;
		return id15 + caseSafeSuffix(id15);
	}
}
