// Records named for the editor's lists: by their name field, a detail, and what tells twins apart.
import { buildSelect, containsPattern } from '../helpers/soql';
import type { SalesforceClient } from '../transport';

/** Results per search: the list is narrowed server-side as the user types, so orgs with many records stay fast. */
export const SEARCH_LIMIT = 100;

export interface NameSearch {
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

/**
 * Records whose name contains the filter (LIKE wildcards in the filter match literally), newest first without one, by
 * name with one; at most `limit`. Each is named by its name and detail, told apart from twins (see distinguished).
 */
export async function namedRecords(
	client: SalesforceClient,
	search: NameSearch,
	filter: string | undefined,
	limit = SEARCH_LIMIT,
): Promise<Array<{ name: string; value: string }>> {
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
			limit,
		}),
	);
	const labels = records.map((record) => {
		const name = String(record[nameField] ?? record.Id);
		const detail = describeDetail(record);
		return detail ? `${name} (${detail})` : name;
	});
	const tails = records.map((record) => (tailField && record[tailField] ? String(record[tailField]) : record.Id));
	const names = distinguished(labels, tails, records.map((record) => record.Id));
	return records.map((record, index) => ({ name: names[index], value: record.Id }));
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

/** How the lists of records people pick most name them: users (active ones), accounts, contacts, campaigns. */
export const LOOKUP_SEARCHES = {
	User: { sobject: 'User', detailField: 'Username', condition: 'IsActive = true' },
	Account: { sobject: 'Account' },
	Contact: { sobject: 'Contact', detailField: 'Email' },
	Campaign: { sobject: 'Campaign', detailField: 'IsActive', describeDetail: (campaign) => (campaign.IsActive ? undefined : 'inactive') },
} satisfies Record<string, NameSearch>;

/**
 * The most records a lookup column lists. n8n saves a column's options with the workflow and has no server-side
 * search in the mapper; an object with more records keeps an ID column (Options → Owner and Account search them).
 */
export const LOOKUP_OPTIONS_LIMIT = 200;
