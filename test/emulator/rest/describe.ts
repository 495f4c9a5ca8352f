// Describe: the global describe (GET sobjects), an object's basic information (GET sobjects/{sobject}) and its full
// describe (GET sobjects/{sobject}/describe); both describes answer If-Modified-Since.
import { json, route } from '../http.ts';
import { childRelationships } from '../schema.ts';
import { sobjectUrl } from './records.ts';
import type { Reply, Request, Route } from '../http.ts';
import type { Org } from '../org.ts';
import type { FieldMeta, ObjectMeta } from '../schema.ts';
import type { Store } from '../store.ts';

const SOBJECTS = '/services/data/v{version}/sobjects';

export function describeRoutes(org: Org): Route[] {
	const { store } = org;
	return [
		route('GET', SOBJECTS, 'data', (req) =>
			notModifiedSince(req, store.metadataModifiedAt()) ??
			json(200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects: [...store.schema.values()].map((m) => globalEntry(m, req.version)) })),
		route('GET', `${SOBJECTS}/{sobject}/describe`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			return notModifiedSince(req, store.metadataModifiedAt(meta.name)) ?? json(200, {
				...globalEntry(meta, req.version), actionOverrides: [], childRelationships: childRelationships(store.schema, meta.name),
				compactLayoutable: true, defaultImplementation: null, extendedBy: null, extendsInterfaces: null, fields: meta.fields.map(describeField),
				implementedBy: null, implementsInterfaces: null, listviewable: null, lookupLayoutable: null, namedLayoutInfos: [],
				networkScopeFieldName: null, recordTypeInfos: recordTypeInfos(store, meta, req.version), searchLayoutable: true, sobjectDescribeOption: 'FULL',
				supportedScopes: [{ label: 'All ' + meta.labelPlural, name: 'everything' }],
			});
		}),
		route('GET', `${SOBJECTS}/{sobject}`, 'data', (req) => {
			const meta = store.describe(req.params.sobject);
			const recentItems = store.all(meta.name).slice(-5).map((r) => ({ attributes: { type: meta.name, url: sobjectUrl(req, meta.name, r.Id as string) }, Id: r.Id, ...(meta.fieldIndex.has('name') ? { Name: r.Name } : {}) }));
			return json(200, { objectDescribe: globalEntry(meta, req.version), recentItems });
		}),
	];
}

/**
 * 304 Not Modified without a body when the request's If-Modified-Since is at or after the metadata's last change
 * ("sObject Describe", "Describe Global" and "Get Object Metadata Changes", REST API Developer Guide). HTTP dates
 * have whole seconds; a value that is no date is ignored (RFC 9110, 13.1.3).
 */
function notModifiedSince(req: Request, modifiedAt: Date): Reply | undefined {
	const header = req.headers['if-modified-since'];
	const since = typeof header === 'string' ? Date.parse(header) : Number.NaN;
	if (Number.isNaN(since) || Math.floor(modifiedAt.getTime() / 1000) * 1000 > since) return undefined;
	return { status: 304 };
}

function globalEntry(meta: ObjectMeta, version: string) {
	return {
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
	};
}

/** Long text and binary (base64) fields cannot be filtered, grouped, sorted or aggregated in SOQL. */
const INCOMPARABLE_TYPES = new Set(['textarea', 'base64']);

function describeField(f: FieldMeta) {
	const comparable = !INCOMPARABLE_TYPES.has(f.type);
	return {
		aggregatable: comparable, aiPredictionField: false, autoNumber: f.autoNumber, byteLength: f.length * 3, calculated: f.calculated,
		calculatedFormula: null, cascadeDelete: false, caseSensitive: false, compoundFieldName: null, controllerName: null,
		createable: f.createable, custom: f.custom, defaultValue: f.defaultValue ?? null, defaultValueFormula: null,
		defaultedOnCreate: f.defaultedOnCreate, dependentPicklist: false, deprecatedAndHidden: false, digits: f.type === 'int' ? f.precision : 0,
		displayLocationInDecimal: false, encrypted: false, externalId: f.externalId, extraTypeInfo: null, filterable: comparable,
		filteredLookupInfo: null, formulaTreatNullNumberAsZero: false, groupable: comparable && !['double', 'currency', 'percent', 'datetime'].includes(f.type),
		highScaleNumber: false, htmlFormatted: false, idLookup: f.idLookup, inlineHelpText: null, label: f.label, length: f.length,
		mask: null, maskType: null, name: f.name, nameField: f.nameField, namePointing: f.referenceTo.length > 1, nillable: f.nillable,
		permissionable: f.nillable && !f.custom ? false : f.nillable, picklistValues: f.picklistValues.map((p) => ({ ...p, validFor: null })),
		polymorphicForeignKey: f.referenceTo.length > 1, precision: f.type === 'int' ? 0 : f.precision, queryByDistance: false,
		referenceTargetField: null, referenceTo: f.referenceTo, relationshipName: f.relationshipName, relationshipOrder: null,
		restrictedDelete: false, restrictedPicklist: f.restrictedPicklist, scale: f.scale, searchPrefilterable: false, soapType: soapType(f),
		sortable: comparable && f.type !== 'multipicklist', type: f.type, unique: f.unique, updateable: f.updateable, writeRequiresMasterRead: false,
	};
}

function recordTypeInfos(store: Store, meta: ObjectMeta, version: string) {
	const master = { active: true, available: true, defaultRecordTypeMapping: true, developerName: 'Master', master: true, name: 'Master', recordTypeId: '012000000000000AAA', urls: { layout: `/services/data/v${version}/sobjects/${meta.name}/describe/layouts/012000000000000AAA` } };
	const custom = store.all('RecordType').filter((rt) => rt.SobjectType === meta.name && rt.IsActive).map((rt) => ({
		active: true, available: true, defaultRecordTypeMapping: false, developerName: rt.DeveloperName, master: false, name: rt.Name,
		recordTypeId: rt.Id, urls: { layout: `/services/data/v${version}/sobjects/${meta.name}/describe/layouts/${rt.Id}` },
	}));
	return [...custom, master];
}

function soapType(f: FieldMeta): string {
	const map: Record<string, string> = {
		id: 'tns:ID', reference: 'tns:ID', boolean: 'xsd:boolean', int: 'xsd:int', double: 'xsd:double', currency: 'xsd:double',
		percent: 'xsd:double', date: 'xsd:date', datetime: 'xsd:dateTime', base64: 'xsd:base64Binary',
	};
	return map[f.type] ?? 'xsd:string';
}
