import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { flowApiNameOf, flowListQuery, type FlowDefinitionRow } from '../helpers/flows';
import { buildSelect, containsPattern } from '../helpers/soql';
import { SalesforceClient, type DescribeResult, type GlobalDescribeEntry } from '../transport';
import { currentSObject } from './currentResource';

/** Results per search: the list is narrowed server-side as the user types, so orgs with many records stay fast. */
const SEARCH_LIMIT = 100;

/** A second field that tells records with the same name apart in the list. */
const DETAIL_FIELD: Record<string, string> = { Lead: 'Company', Contact: 'Email', Case: 'Subject', User: 'Username' };

interface NameSearch {
	sobject: string;
	/** The field searched and shown (the object's name field). */
	nameField?: string;
	detailField?: string;
	/** What tells apart records whose name and detail are the same (e.g. two leads of one company); else their ID. */
	tailField?: string;
	/** A condition every result meets (a SOQL fragment built from constants). */
	condition?: string;
	describeDetail?: (record: Record<string, unknown>) => string | undefined;
}

/** Records whose name contains the filter (LIKE wildcards in the filter match literally), newest first without one. */
async function searchByName(ctx: ILoadOptionsFunctions, search: NameSearch, filter: string | undefined): Promise<INodeListSearchResult> {
	const client = await SalesforceClient.for(ctx);
	const { sobject, nameField = 'Name', detailField, tailField, condition } = search;
	const describeDetail = search.describeDetail ?? ((record) => (detailField ? (record[detailField] as string | undefined) : undefined));
	const text = filter?.trim();
	const conditions = [
		...(text ? [`${nameField} LIKE ${containsPattern(text)}`] : []),
		...(condition ? [condition] : []),
	];
	const records = await client.queryAllPages<Record<string, unknown> & { Id: string }>(
		buildSelect({
			object: sobject,
			fields: [...new Set(['Id', nameField, ...[detailField, tailField].filter((field) => field !== undefined)])],
			where: conditions.join(' AND ') || undefined,
			orderBy: text ? [{ field: nameField }] : [{ field: 'LastModifiedDate', direction: 'DESC' }],
			limit: SEARCH_LIMIT,
		}),
	);
	const labels = records.map((record) => {
		const name = String(record[nameField] ?? record.Id);
		const detail = describeDetail(record);
		return detail ? `${name} (${detail})` : name;
	});
	const tails = records.map((record) => (tailField && record[tailField] ? String(record[tailField]) : record.Id));
	const names = distinguished(labels, tails, records.map((record) => record.Id));
	return {
		results: records.map((record, index) => ({ name: names[index], value: record.Id, url: `${client.conn.instanceUrl}/${record.Id}` })),
	};
}

/** Labels made distinct: a label several results share gets the result's tail, or its ID where the tail repeats too. */
function distinguished(labels: string[], tails: string[], ids: string[]): string[] {
	const twins = (index: number, sameTail: boolean) =>
		labels.filter((label, other) => label === labels[index] && (!sameTail || tails[other] === tails[index])).length;
	return labels.map((label, index) => {
		if (twins(index, false) === 1) return label;
		return `${label} · ${twins(index, true) === 1 ? tails[index] : ids[index]}`;
	});
}

/** The field the object names its records by (describe's name field), a detail field, and Email to tell twins apart. */
function nameSearchOf(describe: DescribeResult): NameSearch {
	const has = (name: string | undefined) => name !== undefined && describe.fields.some((field) => field.name === name);
	const detailField = DETAIL_FIELD[describe.name];
	return {
		sobject: describe.name,
		nameField: describe.fields.find((field) => field.nameField)?.name ?? 'Id',
		detailField: has(detailField) ? detailField : undefined,
		tailField: has('Email') && detailField !== 'Email' ? 'Email' : undefined,
	};
}

export async function searchRecords(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const sobject = currentSObject(this);
	if (!sobject) return { results: [] };
	const client = await SalesforceClient.for(this);
	return await searchByName(this, nameSearchOf(await client.describe(sobject)), filter);
}

export async function searchAccounts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, { sobject: 'Account' }, filter);
}

export async function searchContacts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, { sobject: 'Contact', detailField: 'Email' }, filter);
}

export async function searchCampaigns(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, { sobject: 'Campaign', detailField: 'IsActive', describeDetail: (campaign) => (campaign.IsActive ? undefined : 'inactive') }, filter);
}

/** Files (ContentDocument) by title, with their extension. */
export async function searchFiles(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, { sobject: 'ContentDocument', nameField: 'Title', detailField: 'FileExtension' }, filter);
}

export async function searchUsers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, { sobject: 'User', detailField: 'Username', condition: 'IsActive = true' }, filter);
}

/** What an object must allow for the operation shown (global describe's flags). */
const ALLOWS: Record<string, (object: GlobalDescribeEntry) => boolean> = {
	create: (object) => object.createable,
	update: (object) => object.updateable,
	upsert: (object) => object.createable && object.updateable,
	delete: (object) => object.deletable,
	describe: () => true,
};

/** Any Object's list: objects that allow the current operation, custom objects first, by label; the filter matches label or API name. */
export async function searchObjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const operation = this.getCurrentNodeParameter('operation') as string;
	const allows = ALLOWS[operation] ?? ((object: GlobalDescribeEntry) => object.queryable);
	const text = filter?.trim().toLowerCase() ?? '';
	const client = await SalesforceClient.for(this);
	const objects = (await client.describeGlobal())
		.filter(allows)
		.filter((object) => !text || object.label.toLowerCase().includes(text) || object.name.toLowerCase().includes(text))
		.sort((a, b) => Number(b.custom) - Number(a.custom) || a.label.localeCompare(b.label));
	return { results: objects.map((object) => ({ name: `${object.label} (${object.name})`, value: object.name })) };
}

/** Autolaunched flows with an active version whose label or API name contains the filter, by label. */
export async function searchFlows(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = await SalesforceClient.for(this);
	const flows = await client.queryAllPages<FlowDefinitionRow>(flowListQuery({ search: filter, limit: SEARCH_LIMIT }));
	return {
		results: flows.map((flow) => ({
			name: `${flow.Label} (${flowApiNameOf(flow)})`,
			value: flowApiNameOf(flow),
			url: `${client.conn.instanceUrl}/builder_platform_interaction/flowBuilder.app?flowId=${flow.ActiveVersionId}`,
		})),
	};
}
