// sObject rows: create (JSON or multipart with blob parts), retrieve, update, delete by ID; a blob field's content;
// retrieve, upsert and delete by external ID.
import { SalesforceError, notFound } from '../errors.ts';
import { bodyOf } from '../files.ts';
import { json, readJson, route } from '../http.ts';
import { isIdLike } from '../ids.ts';
import { readRecord } from './multipart.ts';
import { asWrite, externalField, fieldList, sobjectUrl, upsertOne, withAttributes } from './records.ts';
import type { Reply, Route } from '../http.ts';
import type { Org } from '../org.ts';
import type { ObjectMeta } from '../schema.ts';
import type { Store } from '../store.ts';

const SOBJECT = '/services/data/v{version}/sobjects/{sobject}';
/**
 * From API version 46.0 an upsert answers with `created` and an update by external ID answers 200 with a body;
 * before it, an update answers 204 with none ("Insert or Update (Upsert) a Record Using an External ID").
 */
const UPSERT_RESULT_VERSION = 46;

export function sobjectRoutes(org: Org): Route[] {
	const { store } = org;
	return [
		route('POST', SOBJECT, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const body = readRecord(req, meta);
			if (Object.keys(body).some((k) => k.toLowerCase() === 'id')) throw new SalesforceError('INVALID_FIELD', 'Id not allowed in insert call');
			const record = store.insert(meta.name, body, asWrite(req));
			return json(201, { id: record.Id, success: true, errors: [] });
		}),
		route('GET', `${SOBJECT}/{id}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			if (!isIdLike(req.params.id)) throw notFound(`Provided external ID field does not exist or is not accessible: ${req.params.id}`);
			const record = store.live(meta, req.params.id);
			return json(200, withAttributes(req, meta, record, fieldList(meta, req.url.searchParams.get('fields'))));
		}),
		route('PATCH', `${SOBJECT}/{id}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			store.update(meta.name, req.params.id, readJson<Record<string, unknown>>(req) ?? {}, asWrite(req));
			return { status: 204 };
		}),
		route('DELETE', `${SOBJECT}/{id}`, 'data', (req) => {
			store.delete(req.params.sobject, req.params.id, asWrite(req));
			return { status: 204 };
		}),
		route('PATCH', `${SOBJECT}/{field}/{value}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const { record, created } = upsertOne(store, req, meta, externalField(meta, req.params.field), req.params.value, readJson<Record<string, unknown>>(req) ?? {});
			const reportsCreated = Number(req.version) >= UPSERT_RESULT_VERSION;
			if (!created && !reportsCreated) return { status: 204 };
			return json(created ? 201 : 200, { id: record.Id, success: true, errors: [], ...(reportsCreated ? { created } : {}) });
		}),
		route('GET', `${SOBJECT}/{field}/{value}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const blob = blobContent(store, meta, req.params.field, req.params.value);
			if (blob) return blob;
			const f = externalField(meta, req.params.field);
			const matches = store.findByField(meta, f.name, req.params.value);
			if (matches.length > 1) return json(300, matches.map((m) => sobjectUrl(req, meta.name, m.Id as string)));
			if (!matches.length) throw notFound();
			return json(200, withAttributes(req, meta, matches[0], fieldList(meta, req.url.searchParams.get('fields'))));
		}),
		route('DELETE', `${SOBJECT}/{field}/{value}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const matches = store.findByField(meta, externalField(meta, req.params.field).name, req.params.value);
			if (matches.length > 1) return json(300, matches.map((m) => sobjectUrl(req, meta.name, m.Id as string)));
			if (!matches.length) throw notFound();
			store.delete(meta.name, matches[0].Id as string, asWrite(req));
			return { status: 204 };
		}),
	];
}

/**
 * sObject Blob Get ("sObject Blob Get" and "Get Blob Data", REST API Developer Guide): GET sobjects/{sObject}/{id}/{blobField}
 * answers the field's content as binary data, on the path shape of a record by external ID (undefined when it is not
 * one: no record ID, or no blob field). The Content-Type is the emulator's: the guide only says it is neither JSON nor XML.
 */
function blobContent(store: Store, meta: ObjectMeta, id: string, fieldName: string): Reply | undefined {
	const f = meta.fieldIndex.get(fieldName.toLowerCase());
	if (!isIdLike(id) || f?.type !== 'base64') return undefined;
	const body = bodyOf(store.live(meta, id), f.name);
	if (!body) throw notFound();
	return { status: 200, headers: { 'content-type': 'application/octetstream' }, body };
}
