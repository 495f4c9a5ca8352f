import type { IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { RECORD_ID_PATTERN, RECORD_URL_PATTERN } from '../../helpers/records';
import { SOBJECT_PARAMETER } from '../../helpers/resources';
import { API_NAME_PATTERN, soqlInteger } from '../../helpers/soql';
import { optionsCollection, timeoutOption } from '../../properties/options';
import { DEFAULT_PARALLEL_CALLS } from './batch';

/** Return All, and the Limit shown without it (read with `maxResults`). */
export const returnAllProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Reads of records (Get Many, SOQL Query) include the Recycle Bin on request. */
export const includeDeletedOption: INodeProperties = {
	displayName: 'Include Deleted',
	name: 'includeDeleted',
	type: 'boolean',
	default: false,
	description: 'Whether to include records in the recycle bin and merged records (queryAll); IsDeleted tells them apart',
};

/** The most results an item asks for: undefined with Return All, else its Limit (a whole number, checked). */
export function maxResults(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	return soqlInteger('Limit', ctx.getNodeParameter('limit', itemIndex, 50));
}

/** The parameters that list an object's fields reload when the resource or the Object of Any Object changes. */
export const DESCRIBE_DEPENDS_ON = ['resource', `${SOBJECT_PARAMETER}.value`];

/** Any Object's Object: from a searchable list built from the global describe, or by API name (expressions too). */
export const sobjectParameter: INodeProperties = {
	displayName: 'Object',
	name: SOBJECT_PARAMETER,
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The standard or custom object to work on; the list shows only objects that allow the operation',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Type to search…',
			typeOptions: { searchListMethod: 'searchObjects', searchable: true },
		},
		{
			displayName: 'By API Name',
			name: 'name',
			type: 'string',
			placeholder: 'Invoice__c',
			validation: [
				{
					type: 'regex',
					properties: { regex: API_NAME_PATTERN, errorMessage: 'An API name has letters, digits and underscores, such as Account or Invoice__c' },
				},
			],
		},
	],
};

/**
 * A record picked by ID, by its Salesforce URL (Lightning or Classic), or from a server-side search
 * (`searchListMethod`; without one, by ID or URL only, for records of any object).
 */
export function recordLocator(options: {
	displayName: string;
	name: string;
	searchListMethod?: string;
	description: string;
	required?: boolean;
	placeholderId?: string;
}): INodeProperties {
	const placeholderId = options.placeholderId ?? '00Q5g00000AbCdEFGH';
	// n8n checks a mode's regex on an empty value too. Without a list the ID mode is the default, so an empty value must
	// pass it (the parameter's `required` flags a missing one).
	const accepted = (pattern: string) => (options.searchListMethod ? pattern : `^$|${pattern}`);
	const locator: INodeProperties = {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Type to search…',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `https://acme.lightning.force.com/lightning/r/${placeholderId}/view`,
				extractValue: { type: 'regex', regex: RECORD_URL_PATTERN },
				validation: [
					{
						type: 'regex',
						properties: { regex: accepted(RECORD_URL_PATTERN), errorMessage: 'Not a Salesforce record URL' },
					},
				],
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: placeholderId,
				validation: [
					{
						type: 'regex',
						properties: { regex: accepted(RECORD_ID_PATTERN), errorMessage: 'A Salesforce ID has 15 or 18 letters and digits' },
					},
				],
			},
		],
	};
	if (options.searchListMethod) return locator;
	return { ...locator, default: { mode: 'id', value: '' }, modes: locator.modes?.filter((mode) => mode.name !== 'list') };
}

/** Fields to write: the resource mapper (built from describe) or a JSON object. */
export function fieldsProperties(resourceMapperMethod: string, loadOptionsDependsOn: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Fields Input',
			name: 'dataMode',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Map Fields',
					value: 'mapper',
					description: 'Pick fields from the object (standard and custom, with picklist values)',
				},
				{
					name: 'JSON',
					value: 'json',
					description: 'Send a JSON object of field API names and values (null clears a field)',
				},
			],
			default: 'mapper',
		},
		{
			displayName: 'Fields',
			name: 'columns',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			required: true,
			typeOptions: {
				loadOptionsDependsOn,
				resourceMapper: {
					resourceMapperMethod,
					mode: 'add',
					fieldWords: { singular: 'field', plural: 'fields' },
					addAllFields: false,
					multiKeyMatch: false,
					supportAutoMap: true,
					noFieldsError: 'No writable fields found: check that the Salesforce user may edit this object.',
				},
			},
			displayOptions: { show: { dataMode: ['mapper'] } },
		},
		{
			displayName: 'Fields (JSON)',
			name: 'recordJson',
			type: 'json',
			default: '{\n  "LastName": "Lovelace"\n}',
			required: true,
			description: 'Field API names and values. Null clears a field; unknown names fail the item.',
			displayOptions: { show: { dataMode: ['json'] } },
		},
	];
}

export const bulkModeOption: INodeProperties = {
	displayName: 'Use Bulk API 2.0',
	name: 'bulkMode',
	type: 'options',
	options: [
		{
			name: 'Automatic',
			value: 'auto',
			description: 'Bulk API 2.0 from 2,000 items on, sObject Collections (200 records per call) below',
		},
		{ name: 'Always', value: 'always', description: 'One Bulk API 2.0 ingest job for all items' },
		{ name: 'Never', value: 'never', description: 'Only sObject Collections (200 records per call)' },
	],
	default: 'auto',
	description:
		'Bulk API 2.0 jobs run asynchronously: fewer API calls for large inputs, but results take seconds to minutes',
};

export const parallelCallsOption: INodeProperties = {
	displayName: 'Parallel Calls',
	name: 'parallelCalls',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 10, numberPrecision: 0 },
	default: DEFAULT_PARALLEL_CALLS,
	description:
		'How many sObject Collections calls (200 records each) Salesforce saves at once. Lower it to 1 if records of the same parent refuse each other with UNABLE_TO_LOCK_ROW.',
};

export const fieldSetProperties = (defaultSet: 'useful' | 'all'): INodeProperties[] => {
	const fieldSets: INodePropertyOptions[] = [
		{ name: 'All Fields', value: 'all', description: 'Every field the user can read' },
		{ name: 'Common Fields', value: 'useful', description: 'Name, contact details, status, owner and dates' },
		{ name: 'Selected Fields', value: 'selected', description: 'The fields chosen below' },
	];
	return [
		{
			displayName: 'Fields to Return',
			name: 'fieldSet',
			type: 'options',
			options: fieldSets,
			default: defaultSet,
		},
		{
			displayName: 'Field Names or IDs',
			name: 'fields',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: DESCRIBE_DEPENDS_ON },
			default: [],
			description:
				'Fields to return, parent fields like Owner.Name included via an expression. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			displayOptions: { show: { fieldSet: ['selected'] } },
		},
	];
};

/** Owner and Account picked by search (orgs with many users and accounts), overriding OwnerId / AccountId. */
const lookupOptions: INodeProperties[] = [
	recordLocator({
		displayName: 'Owner',
		name: 'owner',
		searchListMethod: 'searchUsers',
		description: 'Active user who owns the record; overrides a mapped Owner ID',
		required: false,
		placeholderId: '0055g00000AbCdEFGH',
	}),
	{
		...recordLocator({
			displayName: 'Account',
			name: 'account',
			searchListMethod: 'searchAccounts',
			description: 'Account of the record; overrides a mapped Account ID',
			required: false,
			placeholderId: '0015g00000AbCdEFGH',
		}),
		displayOptions: { show: { '/resource': ['contact', 'opportunity', 'case'] } },
	},
];

/** How Update and Create or Update clear fields: by name, or every mapped field left empty. */
const clearingOptions: INodeProperties[] = [
	{
		displayName: 'Fields to Clear',
		name: 'fieldsToClear',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getClearableFields', loadOptionsDependsOn: DESCRIBE_DEPENDS_ON },
		default: [],
		description:
			'Fields to empty (sent as null). Only fields Salesforce lets be empty are listed. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { '/operation': ['update', 'upsert'] } },
	},
	{
		displayName: 'Empty Values',
		name: 'emptyValues',
		type: 'options',
		options: [
			{ name: 'Fail the Item', value: 'fail', description: 'The item fails, naming the fields that had no value' },
			{ name: 'Leave the Field Unchanged', value: 'skip', description: 'Empty fields are not sent' },
			{ name: 'Clear the Field', value: 'clear', description: 'Empty fields are sent as null' },
		],
		default: 'fail',
		description: 'What a mapped field whose value is empty (or null) does to the record',
		displayOptions: { show: { '/operation': ['update', 'upsert'] } },
	},
];

/** The Options of Create, Update and Upsert. */
export const writeOptionsProperty: INodeProperties = optionsCollection([...lookupOptions, ...clearingOptions, bulkModeOption, parallelCallsOption, timeoutOption]);
