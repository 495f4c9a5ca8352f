// Safe SOSL composition: the search term escaped, scopes from a closed set, objects and fields checked by the caller
// against describe (helpers/soql.ts resolves them), limits checked as SOQL's.
import { assertObjectName, oneOf, soqlInteger, SoqlError } from './soql';

/** The `IN … FIELDS` scopes of a FIND clause ("FIND", SOSL and SOQL Reference). */
export const SEARCH_SCOPES = ['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR'] as const;

/** SOSL's reserved characters, searched literally once escaped; `*` and `?` stay wildcards. */
const RESERVED = /[&|!{}[\]()^~:\\"'+-]/g;

/** A FIND term: reserved characters escaped with a backslash, so the term cannot leave its braces. */
export function escapeSoslTerm(term: string): string {
	const escaped = term.trim().replace(RESERVED, '\\$&');
	if (escaped.replace(/[*?\\]/g, '').trim().length < 2) {
		throw new SoqlError('Search Term must have at least two characters besides wildcards (* and ?)');
	}
	return escaped;
}

export interface SoslReturning {
	object: string;
	/** Field names already resolved against the object's describe. */
	fields: string[];
	limit?: number;
}

export interface SoslSearch {
	term: string;
	scope: unknown;
	returning: SoslReturning[];
	limit?: number;
}

/** `FIND {term} IN <scope> FIELDS RETURNING Object(fields LIMIT n), … LIMIT n`. */
export function buildSosl(search: SoslSearch): string {
	const scope = oneOf('Search In', search.scope, SEARCH_SCOPES);
	const returning = search.returning.map(({ object, fields, limit }) => {
		const inner = [fields.join(', '), ...(limit === undefined ? [] : [`LIMIT ${soqlInteger(`Limit (${object})`, limit)}`])].join(' ');
		return `${assertObjectName(object)}(${inner})`;
	});
	return [
		`FIND {${escapeSoslTerm(search.term)}} IN ${scope} FIELDS`,
		...(returning.length ? [`RETURNING ${returning.join(', ')}`] : []),
		...(search.limit === undefined ? [] : [`LIMIT ${soqlInteger('Limit', search.limit)}`]),
	].join(' ');
}
