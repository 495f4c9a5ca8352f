import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { flowApiNameOf, flowListQuery, type FlowDefinitionRow } from '../helpers/flows';
import { SalesforceClient, type DescribeResult, type GlobalDescribeEntry } from '../transport';
import { currentSObject } from './currentResource';
import { LOOKUP_SEARCHES, namedRecords, SEARCH_LIMIT, type NameSearch } from './records';

/** A second field that tells records with the same name apart in the list. */
const DETAIL_FIELD: Record<string, string> = { Lead: 'Company', Contact: 'Email', Case: 'Subject', User: 'Username' };

/** The search list of `search`, each result linked to its record. */
async function searchByName(ctx: ILoadOptionsFunctions, search: NameSearch, filter: string | undefined): Promise<INodeListSearchResult> {
	const client = await SalesforceClient.for(ctx);
	const records = await namedRecords(client, search, filter);
	return { results: records.map((record) => ({ ...record, url: `${client.conn.instanceUrl}/${record.value}` })) };
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
	return await searchByName(this, LOOKUP_SEARCHES.Account, filter);
}

export async function searchContacts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, LOOKUP_SEARCHES.Contact, filter);
}

export async function searchCampaigns(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, LOOKUP_SEARCHES.Campaign, filter);
}

/** Files (ContentDocument) by title, with their extension. */
export async function searchFiles(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, { sobject: 'ContentDocument', nameField: 'Title', detailField: 'FileExtension' }, filter);
}

export async function searchUsers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchByName(this, LOOKUP_SEARCHES.User, filter);
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
