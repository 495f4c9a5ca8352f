// sObject Collections: create (JSON, or multipart with blob parts), update, delete, upsert (up to 200 records,
// allOrNone) and retrieve (up to 2,000).
import { SalesforceError, UnreadableValueError } from '../errors.ts';
import { availableSince, json, readJson, route } from '../http.ts';
import { toId18 } from '../ids.ts';
import { readCollection } from './multipart.ts';
import { asWrite, externalField, fieldList, upsertOne, withAttributes } from './records.ts';
import type { Reply, Request, Route } from '../http.ts';
import type { Org } from '../org.ts';
import type { SObjectRecord, Store } from '../store.ts';

const COLLECTIONS = '/services/data/v{version}/composite/sobjects';
const MAX_COLLECTION = 200;
const MAX_RETRIEVE = 2000;
/** "sObject Collections" (REST API Developer Guide): available in API version 42.0 and later. */
const COLLECTIONS_SINCE = 42;
/** "Upsert Records Using sObject Collections" (REST API Developer Guide): available in API version 46.0 and later. */
const COLLECTIONS_UPSERT_SINCE = 46;
const ROLLED_BACK = {
	statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
	message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
	fields: [],
};

interface CollectionBody {
	allOrNone?: boolean;
	records?: SObjectRecord[];
}

export function collectionRoutes(org: Org): Route[] {
	const { store } = org;
	return availableSince(COLLECTIONS_SINCE, [
		route('POST', COLLECTIONS, 'data', async (req) => {
			const { allOrNone = false, records = [] } = readCollection(req);
			return json(200, await collection(store, allOrNone, records, (record) => {
				const type = (record.attributes as { type?: string } | undefined)?.type ?? '';
				const { attributes, ...fields } = record;
				void attributes;
				if (Object.keys(fields).some((k) => k.toLowerCase() === 'id')) {
					return { success: false, errors: [{ statusCode: 'INVALID_FIELD', message: 'cannot specify Id in an insert call', fields: [] }] };
				}
				return saveResult(() => store.insert(type, fields, asWrite(req)));
			}));
		}),
		route('PATCH', COLLECTIONS, 'data', async (req) => {
			const { allOrNone = false, records = [] } = readJson<CollectionBody>(req) ?? {};
			return json(200, await collection(store, allOrNone, records, (record) => {
				const type = (record.attributes as { type?: string } | undefined)?.type ?? '';
				const idKey = Object.keys(record).find((k) => k.toLowerCase() === 'id');
				const Id = idKey ? record[idKey] : undefined;
				const fields = Object.fromEntries(Object.entries(record).filter(([k]) => k !== idKey && k !== 'attributes'));
				if (!Id) return { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] };
				const result = saveResult(() => store.update(type, String(Id), fields, asWrite(req)));
				return result.success ? result : { id: Id, ...result, errors: result.errors.map(collectionError) };
			}));
		}),
		route('DELETE', COLLECTIONS, 'data', async (req) => {
			const ids = (req.url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
			const allOrNone = req.url.searchParams.get('allOrNone') === 'true';
			return json(200, await collection(store, allOrNone, ids, (id) => {
				const meta = toId18(id) ? store.objectOfId(id) : undefined;
				if (!toId18(id)) return { id, success: false, errors: [{ statusCode: 'MALFORMED_ID', message: `malformed id ${id}`, fields: [] }] };
				if (!meta) return { id, success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] }] };
				const result = saveResult(() => {
					store.delete(meta.name, id, asWrite(req));
					return { Id: toId18(id) };
				});
				return result.success ? result : { id, ...result, errors: result.errors.map(collectionError) };
			}));
		}),
		route('POST', `${COLLECTIONS}/{sobject}`, 'data', (req) => {
			const { ids = [], fields = [] } = readJson<{ ids?: string[]; fields?: string[] }>(req) ?? {};
			return retrieveMany(store, req, ids, fields.join(','));
		}),
		route('GET', `${COLLECTIONS}/{sobject}`, 'data', (req) =>
			retrieveMany(store, req, (req.url.searchParams.get('ids') ?? '').split(',').filter(Boolean), req.url.searchParams.get('fields'))),
		...availableSince(COLLECTIONS_UPSERT_SINCE, [route('PATCH', `${COLLECTIONS}/{sobject}/{field}`, 'data', async (req) => {
			const meta = store.describe(req.params.sobject);
			const f = externalField(meta, req.params.field);
			const { allOrNone = false, records = [] } = readJson<CollectionBody>(req) ?? {};
			return json(200, await collection(store, allOrNone, records, (record) => {
				const { attributes, ...fields } = record;
				void attributes;
				const key = Object.keys(fields).find((k) => k.toLowerCase() === f.name.toLowerCase());
				if (!key || fields[key] == null || fields[key] === '') {
					return { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: `${f.name} not specified`, fields: [] }] };
				}
				let created = false;
				const result = saveResult(() => {
					const outcome = upsertOne(store, req, meta, f, String(fields[key]), fields);
					created = outcome.created;
					return outcome.record;
				});
				return result.success ? { ...result, created } : { ...result, errors: result.errors.map(collectionError) };
			}));
		})]),
	]);
}

/** One record's SaveResult: its id, or the SalesforceError it failed with. */
function saveResult(work: () => SObjectRecord) {
	try {
		const record = work();
		return { id: record.Id as string, success: true, errors: [] };
	} catch (error) {
		// A value JSON cannot be read as its field's type fails the whole request body, before any record is saved.
		if (!(error instanceof SalesforceError) || error instanceof UnreadableValueError) throw error;
		return { success: false, errors: [error.toRecordError()] };
	}
}

/** Applies one operation per record; with allOrNone, one failure rolls every record back. */
async function collection<T>(store: Store, allOrNone: boolean, items: T[], apply: (item: T) => Record<string, unknown>) {
	if (items.length > MAX_COLLECTION) {
		throw new SalesforceError('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`);
	}
	let results: Array<Record<string, unknown>> = [];
	const failed = new Error('rolled back');
	try {
		await store.atomically(() => {
			results = items.map(apply);
			if (allOrNone && results.some((r) => !r.success)) throw failed;
		});
	} catch (error) {
		if (error !== failed) throw error;
		return results.map((r) => (r.success ? { id: null, success: false, errors: [ROLLED_BACK] } : r));
	}
	return results;
}

/** Collections report a missing record as INVALID_CROSS_REFERENCE_KEY rather than the REST 404. */
function collectionError(error: { statusCode: string; message: string; fields: string[] }) {
	return error.statusCode === 'NOT_FOUND' ? { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] } : error;
}

/**
 * sObject Collections retrieve ("Get Records Using sObject Collections", REST API Developer Guide): up to 2,000
 * records in input order; null for an ID that is malformed, of another object, missing or deleted.
 */
function retrieveMany(store: Store, req: Request, ids: string[], fields: string | null): Reply {
	const meta = store.describe(req.params.sobject);
	if (!ids.length) throw new SalesforceError('MISSING_ARGUMENT', 'ids: required parameter is missing');
	if (!fields) throw new SalesforceError('MISSING_ARGUMENT', 'fields: required parameter is missing');
	const chosen = fieldList(meta, fields);
	if (ids.length > MAX_RETRIEVE) {
		throw new SalesforceError('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RETRIEVE} records into this call`);
	}
	return json(200, ids.map((id) => {
		const record = store.get(meta.name, id);
		return record && !record.IsDeleted ? withAttributes(req, meta, record, chosen) : null;
	}));
}
