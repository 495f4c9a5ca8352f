// SOSL: GET search?q=FIND {term} [IN ALL FIELDS] [RETURNING Object[(fields [WHERE ...] [ORDER BY ...] [LIMIT n])], ...] [LIMIT n].
import { SalesforceError } from '../errors.ts';
import { json, route } from '../http.ts';
import { runQuery } from '../soql.ts';
import type { Request, Route } from '../http.ts';
import type { Org } from '../org.ts';
import type { SObjectRecord } from '../store.ts';

const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist']);

export function searchRoutes(org: Org): Route[] {
	return [
		route('GET', '/services/data/v{version}/search', 'data', (req) =>
			json(200, { searchRecords: search(org, req, req.url.searchParams.get('q') ?? '') })),
	];
}

function search(org: Org, req: Request, sosl: string): SObjectRecord[] {
	const match = /^\s*FIND\s+\{((?:\\.|[^}])*)\}\s*(?:IN\s+\w+\s+FIELDS\s*)?(?:RETURNING\s+(.+?))?\s*(?:LIMIT\s+(\d+))?\s*$/is.exec(sosl);
	if (!match) throw new SalesforceError('MALFORMED_SEARCH', 'No search term found. The search term must be enclosed in braces.');
	const term = match[1].replace(/\\(.)/g, '$1').replace(/^"|"$/g, '').trim();
	if (term.replace(/[*?]/g, '').length < 2) throw new SalesforceError('MALFORMED_SEARCH', 'search term must be longer than one character');
	const pattern = new RegExp(term.split(/\s+/).map((w) => w.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')).join('.*'), 'i');
	// Without RETURNING, every searchable object (the global describe's `searchable`, here the createable ones).
	const specs = match[2] ? splitTopLevel(match[2]) : [...org.store.schema.values()].filter((meta) => meta.createable).map((meta) => meta.name);
	const limit = match[3] ? Number(match[3]) : 2000;
	const results: SObjectRecord[] = [];
	for (const spec of specs) {
		const m = /^\s*(\w+)\s*(?:\((.*)\))?\s*$/s.exec(spec);
		if (!m) throw new SalesforceError('MALFORMED_SEARCH', `unexpected token: ${spec}`);
		const meta = org.store.findObject(m[1]);
		if (!meta) throw new SalesforceError('INVALID_TYPE', `sObject type '${m[1]}' is not supported.`);
		const ids = org.store.all(meta.name)
			.filter((r) => meta.fields.some((f) => TEXT_TYPES.has(f.type) && r[f.name] != null && pattern.test(String(r[f.name]))))
			.map((r) => `'${r.Id}'`);
		if (!ids.length) continue;
		const inner = /^(.*?)(?:\s+WHERE\s+(.*?))?(?:\s+ORDER\s+BY\s+(.*?))?(?:\s+LIMIT\s+(\d+))?$/is.exec(m[2] ?? 'Id')!;
		const soql = `SELECT ${inner[1] || 'Id'} FROM ${meta.name} WHERE Id IN (${ids.join(',')})${inner[2] ? ` AND (${inner[2]})` : ''}` +
			`${inner[3] ? ` ORDER BY ${inner[3]}` : ''}${inner[4] ? ` LIMIT ${inner[4]}` : ''}`;
		results.push(...runQuery(org.store, soql, { apiVersion: req.version }).records);
	}
	return results.slice(0, limit);
}

/** Splits on commas outside parentheses. */
function splitTopLevel(text: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let current = '';
	for (const c of text) {
		if (c === '(') depth++;
		if (c === ')') depth--;
		if (c === ',' && depth === 0) {
			parts.push(current);
			current = '';
		} else current += c;
	}
	return [...parts, current].filter((p) => p.trim());
}
