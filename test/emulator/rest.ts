// The REST API: versions, resources, limits, describe, CRUD, upsert, query with locators, updated/deleted,
// sObject Collections, composite and SOSL search.
import { formatDateTime, parseDateTime } from './clock.ts';
import { SalesforceError, notFound } from './errors.ts';
import { json, readJson, route, MAX_VERSION, MIN_VERSION } from './http.ts';
import { isIdLike, toId18 } from './ids.ts';
import { childRelationships } from './schema.ts';
import { runQuery } from './soql.ts';
import type { Reply, Request, Route } from './http.ts';
import type { Org } from './org.ts';
import type { FieldMeta, ObjectMeta } from './schema.ts';
import type { SObjectRecord } from './store.ts';

const DATA = '/services/data/v{version}';
const MAX_COLLECTION = 200;
const MAX_RETRIEVE = 2000;
const DEFAULT_BATCH = 2000;
const MINUTE = 60_000;
const DELETED_RETENTION_MS = 15 * 24 * 60 * MINUTE;
const ROLLED_BACK = {
	statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
	message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
	fields: [],
};

export function releaseLabel(version: number): string {
	const offset = version - 62;
	const year = 25 + Math.floor(offset / 3);
	const season = ['Winter', 'Spring', 'Summer'][((offset % 3) + 3) % 3];
	return `${season} '${String(year).padStart(2, '0')}`;
}

export function restRoutes(org: Org): Route[] {
	const { store } = org;
	const sobjectUrl = (req: Request, type: string, id: string) => `/services/data/v${req.version}/sobjects/${type}/${id}`;
	const withAttributes = (req: Request, meta: ObjectMeta, record: SObjectRecord, fields?: FieldMeta[]) => {
		const out: SObjectRecord = { attributes: { type: meta.name, url: sobjectUrl(req, meta.name, record.Id as string) } };
		for (const f of fields ?? meta.fields) out[f.name] = record[f.name] ?? null;
		return out;
	};
	const fieldList = (meta: ObjectMeta, names: string | null | undefined): FieldMeta[] | undefined =>
		names
			? names.split(',').map((n) => {
					const f = meta.fieldIndex.get(n.trim().toLowerCase());
					if (!f) throw new SalesforceError('INVALID_FIELD', `No such column '${n.trim()}' on entity '${meta.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
					return f;
				})
			: undefined;
	const externalField = (meta: ObjectMeta, name: string): FieldMeta => {
		const f = meta.fieldIndex.get(name.toLowerCase());
		if (!f || !(f.externalId || f.idLookup)) throw notFound(`Provided external ID field does not exist or is not accessible: ${name}`);
		return f;
	};
	const asWrite = (req: Request) => ({ userId: req.userId });

	const saveResult = (work: () => SObjectRecord, extra: Record<string, unknown> = {}) => {
		try {
			const record = work();
			return { id: record.Id as string, success: true, errors: [], ...extra };
		} catch (error) {
			if (!(error instanceof SalesforceError)) throw error;
			return { success: false, errors: [error.toRecordError()] };
		}
	};
	/** Applies one operation per record; with allOrNone, one failure rolls every record back. */
	const collection = <T>(allOrNone: boolean, items: T[], apply: (item: T) => Record<string, unknown>) => {
		if (items.length > MAX_COLLECTION) {
			throw new SalesforceError('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`);
		}
		let results: Array<Record<string, unknown>> = [];
		const failed = new Error('rolled back');
		try {
			store.atomically(() => {
				results = items.map(apply);
				if (allOrNone && results.some((r) => !r.success)) throw failed;
			});
		} catch (error) {
			if (error !== failed) throw error;
			return results.map((r) => (r.success ? { id: null, success: false, errors: [ROLLED_BACK] } : r));
		}
		return results;
	};
	const upsertOne = (req: Request, meta: ObjectMeta, f: FieldMeta, value: string, body: Record<string, unknown>) => {
		if (f.type === 'id') {
			const record = store.update(meta.name, value, body, asWrite(req));
			return { record, created: false };
		}
		const matches = store.findByField(meta, f.name, value);
		if (matches.length > 1) {
			const urls = matches.map((m) => sobjectUrl(req, meta.name, m.Id as string));
			throw new SalesforceError('MULTIPLE_CHOICES', `${f.name}: more than one record found for external id field: ${urls.join(', ')}`, { httpStatus: 300, body: urls });
		}
		const fields = Object.fromEntries(Object.entries(body).filter(([k]) => k.toLowerCase() !== f.name.toLowerCase()));
		if (matches.length === 1) return { record: store.update(meta.name, matches[0].Id as string, fields, asWrite(req)), created: false };
		return { record: store.insert(meta.name, { ...fields, [f.name]: value }, asWrite(req)), created: true };
	};
	const runSoql = (req: Request, includeDeleted: boolean): Reply => {
		const soql = req.url.searchParams.get('q');
		if (!soql) throw new SalesforceError('MALFORMED_QUERY', 'A query string has to be specified');
		const result = runQuery(store, soql, { includeDeleted, apiVersion: req.version });
		const option = /batchSize=(\d+)/i.exec(String(req.headers['sforce-query-options'] ?? ''));
		const batchSize = option ? Math.min(2000, Math.max(200, Number(option[1]))) : DEFAULT_BATCH;
		return json(200, page(req, result.totalSize, result.records, 0, batchSize, includeDeleted));
	};
	const page = (req: Request, totalSize: number, records: SObjectRecord[], offset: number, batchSize: number, all: boolean, cursorId?: string) => {
		const slice = records.slice(offset, offset + batchSize);
		const end = offset + slice.length;
		const done = end >= records.length;
		const body: Record<string, unknown> = { totalSize, done };
		if (!done) {
			const id = cursorId ?? org.openCursor(records, batchSize);
			body.nextRecordsUrl = `/services/data/v${req.version}/${all ? 'queryAll' : 'query'}/${id}-${end}`;
		}
		body.records = slice;
		return body;
	};
	const nextPage = (req: Request, all: boolean): Reply => {
		const [cursorId, offsetText] = req.params.locator.split('-');
		const cursor = org.cursor(cursorId);
		const offset = Number(offsetText);
		if (!cursor || !Number.isInteger(offset) || offset < 0 || offset > cursor.records.length) {
			throw new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator');
		}
		return json(200, page(req, cursor.records.length, cursor.records, offset, cursor.batchSize, all, cursorId));
	};
	const replicationWindow = (req: Request) => {
		const start = parseDateTime(req.url.searchParams.get('start') ?? '');
		const end = parseDateTime(req.url.searchParams.get('end') ?? '');
		if (!start || !end) throw new SalesforceError('MISSING_ARGUMENT', 'start and end must be specified');
		if (end < start) throw new SalesforceError('INVALID_REPLICATION_DATE', 'EndDate can not be before StartDate');
		const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;
		const now = store.now().getTime();
		return { start: floorMinute(start.getTime()), end: floorMinute(Math.min(end.getTime(), now)), now };
	};
	const describeField = (f: FieldMeta) => ({
		aggregatable: f.type !== 'textarea', aiPredictionField: false, autoNumber: false, byteLength: f.length * 3, calculated: f.calculated,
		calculatedFormula: null, cascadeDelete: false, caseSensitive: false, compoundFieldName: null, controllerName: null,
		createable: f.createable, custom: f.custom, defaultValue: f.defaultValue ?? null, defaultValueFormula: null,
		defaultedOnCreate: f.defaultedOnCreate, dependentPicklist: false, deprecatedAndHidden: false, digits: f.type === 'int' ? f.precision : 0,
		displayLocationInDecimal: false, encrypted: false, externalId: f.externalId, extraTypeInfo: null, filterable: f.type !== 'textarea',
		filteredLookupInfo: null, formulaTreatNullNumberAsZero: false, groupable: !['textarea', 'double', 'currency', 'percent', 'datetime'].includes(f.type),
		highScaleNumber: false, htmlFormatted: false, idLookup: f.idLookup, inlineHelpText: null, label: f.label, length: f.length,
		mask: null, maskType: null, name: f.name, nameField: f.nameField, namePointing: f.referenceTo.length > 1, nillable: f.nillable,
		permissionable: f.nillable && !f.custom ? false : f.nillable, picklistValues: f.picklistValues.map((p) => ({ ...p, validFor: null })),
		polymorphicForeignKey: f.referenceTo.length > 1, precision: f.type === 'int' ? 0 : f.precision, queryByDistance: false,
		referenceTargetField: null, referenceTo: f.referenceTo, relationshipName: f.relationshipName, relationshipOrder: null,
		restrictedDelete: false, restrictedPicklist: f.restrictedPicklist, scale: f.scale, searchPrefilterable: false, soapType: soapType(f),
		sortable: f.type !== 'textarea' && f.type !== 'multipicklist', type: f.type, unique: f.unique, updateable: f.updateable, writeRequiresMasterRead: false,
	});
	const globalEntry = (meta: ObjectMeta, version: string) => ({
		activateable: false, associateEntityType: null, associateParentEntity: null, createable: meta.createable, custom: meta.name.endsWith('__c'),
		customSetting: false, deepCloneable: false, deletable: meta.deletable, deprecatedAndHidden: false, feedEnabled: false,
		hasSubtypes: false, isInterface: false, isSubtype: false, keyPrefix: meta.keyPrefix, label: meta.label, labelPlural: meta.labelPlural,
		layoutable: meta.createable, mergeable: ['Lead', 'Contact', 'Account'].includes(meta.name), mruEnabled: meta.createable, name: meta.name,
		queryable: true, replicateable: true, retrieveable: true, searchable: meta.createable, triggerable: meta.createable,
		undeletable: meta.deletable, updateable: meta.updateable,
		urls: {
			rowTemplate: `/services/data/v${version}/sobjects/${meta.name}/{ID}`,
			defaultValues: `/services/data/v${version}/sobjects/${meta.name}/defaultValues?recordTypeId&fields`,
			describe: `/services/data/v${version}/sobjects/${meta.name}/describe`,
			sobject: `/services/data/v${version}/sobjects/${meta.name}`,
		},
	});
	const recordTypeInfos = (meta: ObjectMeta, version: string) => {
		const master = { active: true, available: true, defaultRecordTypeMapping: true, developerName: 'Master', master: true, name: 'Master', recordTypeId: '012000000000000AAA', urls: { layout: `/services/data/v${version}/sobjects/${meta.name}/describe/layouts/012000000000000AAA` } };
		const custom = store.all('RecordType').filter((rt) => rt.SobjectType === meta.name && rt.IsActive).map((rt) => ({
			active: true, available: true, defaultRecordTypeMapping: false, developerName: rt.DeveloperName, master: false, name: rt.Name,
			recordTypeId: rt.Id, urls: { layout: `/services/data/v${version}/sobjects/${meta.name}/describe/layouts/${rt.Id}` },
		}));
		return [...custom, master];
	};

	return [
		route('GET', '/services/data', 'data', () =>
			json(200, Array.from({ length: MAX_VERSION - MIN_VERSION + 1 }, (_, i) => {
				const v = `${MIN_VERSION + i}.0`;
				return { label: releaseLabel(MIN_VERSION + i), url: `/services/data/v${v}`, version: v };
			})), false),
		route('GET', DATA, 'data', (req) => {
			const base = `/services/data/v${req.version}`;
			const names = ['tooling', 'metadata', 'eclair', 'folders', 'prechatForms', 'chatter', 'tabs', 'appMenu', 'quickActions', 'queryAll', 'commerce', 'wave', 'iot', 'analytics', 'search', 'identity', 'composite', 'parameterizedSearch', 'fingerprint', 'theme', 'nouns', 'event', 'serverTime', 'recent', 'connect', 'licensing', 'limits', 'process', 'async-queries', 'query', 'match', 'emailConnect', 'compactLayouts', 'knowledgeManagement', 'sobjects', 'actions', 'support', 'jobs'];
			return json(200, Object.fromEntries(names.map((n) => [n, n === 'identity' ? org.oauth.identityUrl(req.userId) : `${base}/${n}`])));
		}),
		route('GET', `${DATA}/limits`, 'data', () => {
			const quota = (max: number, used = 0) => ({ Max: max, Remaining: Math.max(0, max - used) });
			return json(200, {
				DailyApiRequests: quota(org.faults.apiMax, org.faults.apiUsage),
				DailyBulkApiBatches: quota(15000), DailyBulkV2QueryFileStorageMB: quota(976562), DailyBulkV2QueryJobs: quota(10000),
				DataStorageMB: quota(5), FileStorageMB: quota(20), HourlyODataCallout: quota(10000), SingleEmail: quota(15),
			});
		}),
		route('GET', `${DATA}/sobjects`, 'data', (req) =>
			json(200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects: [...store.schema.values()].map((m) => globalEntry(m, req.version)) })),
		route('GET', `${DATA}/sobjects/{sobject}/describe`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			return json(200, {
				...globalEntry(meta, req.version), actionOverrides: [], childRelationships: childRelationships(store.schema, meta.name),
				compactLayoutable: true, defaultImplementation: null, extendedBy: null, extendsInterfaces: null, fields: meta.fields.map(describeField),
				implementedBy: null, implementsInterfaces: null, listviewable: null, lookupLayoutable: null, namedLayoutInfos: [],
				networkScopeFieldName: null, recordTypeInfos: recordTypeInfos(meta, req.version), searchLayoutable: true, sobjectDescribeOption: 'FULL',
				supportedScopes: [{ label: 'All ' + meta.labelPlural, name: 'everything' }],
			});
		}),
		route('GET', `${DATA}/sobjects/{sobject}/updated`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const { start, end } = replicationWindow(req);
			const ids = store.all(meta.name)
				.filter((r) => {
					const t = parseDateTime(r.SystemModstamp as string)!.getTime();
					return t >= start && t < end;
				})
				.map((r) => r.Id);
			return json(200, { ids, latestDateCovered: formatDateTime(new Date(end)) });
		}),
		route('GET', `${DATA}/sobjects/{sobject}/deleted`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const { start, end, now } = replicationWindow(req);
			const earliest = Math.floor((now - DELETED_RETENTION_MS) / MINUTE) * MINUTE;
			const deletedRecords = store.all(meta.name, { includeDeleted: true })
				.filter((r) => r.IsDeleted)
				.map((r) => ({ id: r.Id as string, deletedDate: store.deletedDate(r.Id as string)! }))
				.filter((d) => d.deletedDate.getTime() >= Math.max(start, earliest) && d.deletedDate.getTime() < end)
				.map((d) => ({ id: d.id, deletedDate: formatDateTime(d.deletedDate) }));
			return json(200, { deletedRecords, earliestDateAvailable: formatDateTime(new Date(earliest)), latestDateCovered: formatDateTime(new Date(end)) });
		}),
		route('GET', `${DATA}/sobjects/{sobject}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const recentItems = store.all(meta.name).slice(-5).map((r) => ({ attributes: { type: meta.name, url: sobjectUrl(req, meta.name, r.Id as string) }, Id: r.Id, ...(meta.fieldIndex.has('name') ? { Name: r.Name } : {}) }));
			return json(200, { objectDescribe: globalEntry(meta, req.version), recentItems });
		}),
		route('POST', `${DATA}/sobjects/{sobject}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const body = readJson<Record<string, unknown>>(req) ?? {};
			if (Object.keys(body).some((k) => k.toLowerCase() === 'id')) throw new SalesforceError('INVALID_FIELD', 'Id not allowed in insert call');
			const record = store.insert(meta.name, body, asWrite(req));
			return json(201, { id: record.Id, success: true, errors: [] });
		}),
		route('GET', `${DATA}/sobjects/{sobject}/{id}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			if (!isIdLike(req.params.id)) throw notFound(`Provided external ID field does not exist or is not accessible: ${req.params.id}`);
			const record = store.live(meta, req.params.id);
			return json(200, withAttributes(req, meta, record, fieldList(meta, req.url.searchParams.get('fields'))));
		}),
		route('PATCH', `${DATA}/sobjects/{sobject}/{id}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			store.update(meta.name, req.params.id, readJson<Record<string, unknown>>(req) ?? {}, asWrite(req));
			return { status: 204 };
		}),
		route('DELETE', `${DATA}/sobjects/{sobject}/{id}`, 'data', (req) => {
			store.delete(req.params.sobject, req.params.id, asWrite(req));
			return { status: 204 };
		}),
		route('PATCH', `${DATA}/sobjects/{sobject}/{field}/{value}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const { record, created } = upsertOne(req, meta, externalField(meta, req.params.field), req.params.value, readJson<Record<string, unknown>>(req) ?? {});
			return json(created ? 201 : 200, { id: record.Id, success: true, errors: [], created });
		}),
		route('GET', `${DATA}/sobjects/{sobject}/{field}/{value}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const f = externalField(meta, req.params.field);
			const matches = store.findByField(meta, f.name, req.params.value);
			if (matches.length > 1) return json(300, matches.map((m) => sobjectUrl(req, meta.name, m.Id as string)));
			if (!matches.length) throw notFound();
			return json(200, withAttributes(req, meta, matches[0], fieldList(meta, req.url.searchParams.get('fields'))));
		}),
		route('DELETE', `${DATA}/sobjects/{sobject}/{field}/{value}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const matches = store.findByField(meta, externalField(meta, req.params.field).name, req.params.value);
			if (matches.length > 1) return json(300, matches.map((m) => sobjectUrl(req, meta.name, m.Id as string)));
			if (!matches.length) throw notFound();
			store.delete(meta.name, matches[0].Id as string, asWrite(req));
			return { status: 204 };
		}),
		route('GET', `${DATA}/query`, 'data', (req) => runSoql(req, false)),
		route('GET', `${DATA}/queryAll`, 'data', (req) => runSoql(req, true)),
		route('GET', `${DATA}/query/{locator}`, 'data', (req) => nextPage(req, false)),
		route('GET', `${DATA}/queryAll/{locator}`, 'data', (req) => nextPage(req, true)),
		route('POST', `${DATA}/composite/sobjects`, 'data', (req) => {
			const { allOrNone = false, records = [] } = readJson<{ allOrNone?: boolean; records?: SObjectRecord[] }>(req) ?? {};
			return json(200, collection(allOrNone, records, (record) => {
				const type = (record.attributes as { type?: string } | undefined)?.type ?? '';
				const { attributes, ...fields } = record;
				void attributes;
				if (Object.keys(fields).some((k) => k.toLowerCase() === 'id')) {
					return { success: false, errors: [{ statusCode: 'INVALID_FIELD', message: 'cannot specify Id in an insert call', fields: [] }] };
				}
				return saveResult(() => store.insert(type, fields, asWrite(req)));
			}));
		}),
		route('PATCH', `${DATA}/composite/sobjects`, 'data', (req) => {
			const { allOrNone = false, records = [] } = readJson<{ allOrNone?: boolean; records?: SObjectRecord[] }>(req) ?? {};
			return json(200, collection(allOrNone, records, (record) => {
				const type = (record.attributes as { type?: string } | undefined)?.type ?? '';
				const idKey = Object.keys(record).find((k) => k.toLowerCase() === 'id');
				const Id = idKey ? record[idKey] : undefined;
				const fields = Object.fromEntries(Object.entries(record).filter(([k]) => k !== idKey && k !== 'attributes'));
				if (!Id) return { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] };
				const result = saveResult(() => store.update(type, String(Id), fields, asWrite(req)));
				return result.success ? result : { id: Id, ...result, errors: result.errors.map(collectionError) };
			}));
		}),
		route('DELETE', `${DATA}/composite/sobjects`, 'data', (req) => {
			const ids = (req.url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
			const allOrNone = req.url.searchParams.get('allOrNone') === 'true';
			return json(200, collection(allOrNone, ids, (id) => {
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
		route('POST', `${DATA}/composite/sobjects/{sobject}`, 'data', (req) => {
			const { ids = [], fields = [] } = readJson<{ ids?: string[]; fields?: string[] }>(req) ?? {};
			return retrieveMany(req, ids, fields.join(','));
		}),
		route('GET', `${DATA}/composite/sobjects/{sobject}`, 'data', (req) =>
			retrieveMany(req, (req.url.searchParams.get('ids') ?? '').split(',').filter(Boolean), req.url.searchParams.get('fields'))),
		route('PATCH', `${DATA}/composite/sobjects/{sobject}/{field}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const f = externalField(meta, req.params.field);
			const { allOrNone = false, records = [] } = readJson<{ allOrNone?: boolean; records?: SObjectRecord[] }>(req) ?? {};
			return json(200, collection(allOrNone, records, (record) => {
				const { attributes, ...fields } = record;
				void attributes;
				const key = Object.keys(fields).find((k) => k.toLowerCase() === f.name.toLowerCase());
				if (!key || fields[key] == null || fields[key] === '') {
					return { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: `${f.name} not specified`, fields: [] }] };
				}
				let created = false;
				const result = saveResult(() => {
					const outcome = upsertOne(req, meta, f, String(fields[key]), fields);
					created = outcome.created;
					return outcome.record;
				});
				return result.success ? { ...result, created } : { ...result, errors: result.errors.map(collectionError) };
			}));
		}),
		route('POST', `${DATA}/composite`, 'data', (req) => composite(org, req)),
		route('GET', `${DATA}/search`, 'data', (req) => json(200, { searchRecords: search(org, req, req.url.searchParams.get('q') ?? '') })),
	];

	/**
	 * sObject Collections retrieve ("Get Records Using sObject Collections", REST API Developer Guide): up to 2,000
	 * records in input order; null for an ID that is malformed, of another object, missing or deleted.
	 */
	function retrieveMany(req: Request, ids: string[], fields: string | null): Reply {
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
}

/** Collections report a missing record as INVALID_CROSS_REFERENCE_KEY rather than the REST 404. */
function collectionError(error: { statusCode: string; message: string; fields: string[] }) {
	return error.statusCode === 'NOT_FOUND' ? { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] } : error;
}

function soapType(f: FieldMeta): string {
	const map: Record<string, string> = {
		id: 'tns:ID', reference: 'tns:ID', boolean: 'xsd:boolean', int: 'xsd:int', double: 'xsd:double', currency: 'xsd:double',
		percent: 'xsd:double', date: 'xsd:date', datetime: 'xsd:dateTime',
	};
	return map[f.type] ?? 'xsd:string';
}

interface SubRequest {
	method: string;
	url: string;
	referenceId: string;
	body?: unknown;
}

async function composite(org: Org, req: Request): Promise<Reply> {
	const { allOrNone = false, compositeRequest = [] } = readJson<{ allOrNone?: boolean; compositeRequest?: SubRequest[] }>(req) ?? {};
	if (compositeRequest.length > 25) throw new SalesforceError('INVALID_BATCH_REQUEST', 'The number of subrequests exceeds the limit of 25');
	const bodies = new Map<string, unknown>();
	const responses: Array<{ body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string }> = [];
	const halted = (message: string) => [{ errorCode: 'PROCESSING_HALTED', message }];
	const failure = new Error('composite rolled back');
	try {
		await org.store.atomicallyAsync(async () => {
			let failed = false;
			for (const sub of compositeRequest) {
				if (failed && allOrNone) {
					responses.push({ body: halted('The transaction was rolled back since another operation in the same transaction failed.'), httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId });
					continue;
				}
				let url: string;
				let body: unknown;
				try {
					url = substitute(sub.url, bodies, true) as string;
					body = sub.body === undefined ? undefined : substitute(sub.body, bodies, false);
				} catch (error) {
					failed = true;
					responses.push({ body: halted((error as Error).message), httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId });
					continue;
				}
				const reply = await org.dispatch(sub.method.toUpperCase(), url, body, req.userId);
				if (reply.status >= 400) failed = true;
				else bodies.set(sub.referenceId, reply.body);
				responses.push({ body: reply.body ?? null, httpHeaders: reply.headers?.location ? { Location: reply.headers.location } : {}, httpStatusCode: reply.status, referenceId: sub.referenceId });
			}
			if (failed && allOrNone) throw failure;
		});
	} catch (error) {
		if (error !== failure) throw error;
		for (const r of responses) {
			if (r.httpStatusCode < 400) Object.assign(r, { httpStatusCode: 400, httpHeaders: {}, body: halted('The transaction was rolled back since another operation in the same transaction failed.') });
		}
	}
	return json(200, { compositeResponse: responses });
}

/** Replaces @{referenceId.path} references with values from earlier subrequest bodies. */
function substitute(value: unknown, bodies: Map<string, unknown>, inUrl: boolean): unknown {
	if (typeof value === 'string') {
		const whole = /^@\{([^}]+)\}$/.exec(value);
		if (whole && !inUrl) return resolveReference(whole[1], bodies);
		return value.replace(/@\{([^}]+)\}/g, (_, ref: string) => String(resolveReference(ref, bodies)));
	}
	if (Array.isArray(value)) return value.map((v) => substitute(v, bodies, inUrl));
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, bodies, inUrl)]));
	return value;
}

function resolveReference(reference: string, bodies: Map<string, unknown>): unknown {
	const [referenceId, ...path] = reference.split('.');
	if (!bodies.has(referenceId)) throw new Error(`Invalid reference specified. No value for ${reference} found in ${referenceId}. Provided referenceId ('${referenceId}') can't be found.`);
	let current: unknown = bodies.get(referenceId);
	for (const part of path.flatMap((p) => p.split(/[[\]]/).filter(Boolean))) {
		current = current && typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined;
	}
	if (current === undefined) throw new Error(`Invalid reference specified. No value for ${reference} found in ${referenceId}.`);
	return current;
}

const SEARCHABLE = ['Account', 'Contact', 'Lead', 'Opportunity', 'Campaign'];

/** Basic SOSL: FIND {term} [IN ALL FIELDS] [RETURNING Object[(fields [WHERE ...] [LIMIT n])], ...]. */
function search(org: Org, req: Request, sosl: string): SObjectRecord[] {
	const match = /^\s*FIND\s+\{((?:\\.|[^}])*)\}\s*(?:IN\s+\w+\s+FIELDS\s*)?(?:RETURNING\s+(.+?))?\s*(?:LIMIT\s+(\d+))?\s*$/is.exec(sosl);
	if (!match) throw new SalesforceError('MALFORMED_SEARCH', 'No search term found. The search term must be enclosed in braces.');
	const term = match[1].replace(/\\(.)/g, '$1').replace(/^"|"$/g, '').trim();
	if (term.replace(/[*?]/g, '').length < 2) throw new SalesforceError('MALFORMED_SEARCH', 'search term must be longer than one character');
	const pattern = new RegExp(term.split(/\s+/).map((w) => w.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')).join('.*'), 'i');
	const specs = match[2] ? splitTopLevel(match[2]) : SEARCHABLE;
	const limit = match[3] ? Number(match[3]) : 2000;
	const results: SObjectRecord[] = [];
	for (const spec of specs) {
		const m = /^\s*(\w+)\s*(?:\((.*)\))?\s*$/s.exec(spec);
		if (!m) throw new SalesforceError('MALFORMED_SEARCH', `unexpected token: ${spec}`);
		const meta = org.store.findObject(m[1]);
		if (!meta) throw new SalesforceError('INVALID_TYPE', `sObject type '${m[1]}' is not supported.`);
		const textTypes = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist']);
		const ids = org.store.all(meta.name)
			.filter((r) => meta.fields.some((f) => textTypes.has(f.type) && r[f.name] != null && pattern.test(String(r[f.name]))))
			.map((r) => `'${r.Id}'`);
		if (!ids.length) continue;
		const inner = /^(.*?)(?:\s+WHERE\s+(.*?))?(?:\s+ORDER\s+BY\s+(.*?))?(?:\s+LIMIT\s+(\d+))?$/is.exec(m[2] ?? 'Id')!;
		const soql = `SELECT ${inner[1] || 'Id'} FROM ${meta.name} WHERE Id IN (${ids.join(',')})${inner[2] ? ` AND (${inner[2]})` : ''}` +
			`${inner[3] ? ` ORDER BY ${inner[3]}` : ''}${inner[4] ? ` LIMIT ${inner[4]}` : ''}`;
		results.push(...runQuery(org.store, soql, { apiVersion: req.version }).records);
	}
	return results.slice(0, limit);
}

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
