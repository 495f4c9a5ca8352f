// Request bodies of record inserts, as JSON or as multipart/form-data with binary parts ("Insert or Update Blob Data",
// REST API Developer Guide): the record's fields in a JSON part, each blob field's content in a binary part. For
// sObject Basic Information the binary part is named after its field (VersionData); for sObject Collections the JSON
// part holds the records, each naming its part in attributes.binaryPartName and the field in binaryPartNameAlias.
// Blob fields reach the store as the base64 text a JSON body would carry.
import { readJson } from '../http.ts';
import type { Request } from '../http.ts';
import type { ObjectMeta } from '../schema.ts';
import type { SObjectRecord } from '../store.ts';

interface Part {
	name: string;
	contentType: string;
	body: Buffer;
}

interface CollectionBody {
	allOrNone?: boolean;
	records?: SObjectRecord[];
}

/** A record to insert: the JSON body, or the JSON part with each binary part named after a blob field of `meta`. */
export function readRecord(req: Request, meta: ObjectMeta): Record<string, unknown> {
	const parts = multipartParts(req);
	if (!parts) return readJson<Record<string, unknown>>(req) ?? {};
	const record = jsonPart<Record<string, unknown>>(parts) ?? {};
	for (const part of parts) {
		const field = meta.fieldIndex.get(part.name.toLowerCase());
		if (field?.type === 'base64' && !isJson(part)) record[field.name] = part.body.toString('base64');
	}
	return record;
}

/** An sObject Collections body: JSON, or the JSON part with each record's binary part put in its binaryPartNameAlias field. */
export function readCollection(req: Request): CollectionBody {
	const parts = multipartParts(req);
	if (!parts) return readJson<CollectionBody>(req) ?? {};
	const collection = jsonPart<CollectionBody>(parts) ?? {};
	const byName = new Map(parts.filter((part) => !isJson(part)).map((part) => [part.name, part]));
	return {
		...collection,
		records: (collection.records ?? []).map((record) => {
			const { binaryPartName, binaryPartNameAlias, ...attributes } = (record.attributes ?? {}) as Record<string, unknown>;
			const part = byName.get(String(binaryPartName));
			return part && binaryPartNameAlias ? { ...record, attributes, [String(binaryPartNameAlias)]: part.body.toString('base64') } : { ...record, attributes };
		}),
	};
}

const isJson = (part: Part) => /^application\/json\b/i.test(part.contentType);

/** The first JSON part, parsed (a JSON error reads as one of a JSON body). */
function jsonPart<T>(parts: Part[]): T | undefined {
	const part = parts.find(isJson);
	return part && readJson<T>(part);
}

/** The parts of a multipart/form-data body (RFC 7578: CRLF line breaks), or undefined for any other body. */
function multipartParts(req: Request): Part[] | undefined {
	const boundary = /^multipart\/form-data\b.*;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(req.headers['content-type'] ?? ''));
	if (!boundary) return undefined;
	const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
	const parts: Part[] = [];
	let at = req.body.indexOf(delimiter);
	while (at >= 0) {
		const start = at + delimiter.length;
		if (req.body.subarray(start, start + 2).toString() === '--') break;
		const next = req.body.indexOf(delimiter, start);
		if (next < 0) break;
		const part = req.body.subarray(start + 2, next - 2);
		const headerEnd = part.indexOf('\r\n\r\n');
		const head = part.subarray(0, Math.max(headerEnd, 0)).toString('utf8');
		parts.push({
			name: /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(head)?.[1] ?? '',
			contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1].trim() ?? '',
			body: headerEnd < 0 ? Buffer.alloc(0) : part.subarray(headerEnd + 4),
		});
		at = next;
	}
	return parts;
}
