/** The shapes Salesforce's REST API answers with, as the nodes use them. */

/** What sObject Collections do to many records. */
export type SaveOperation = 'create' | 'update' | 'upsert' | 'delete';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface SaveResult {
	id?: string;
	success: boolean;
	/** Upsert: whether the record was created; null when that cannot be known (collections.ts). */
	created?: boolean | null;
	/** Why a field of the result is uncertain, for the user. */
	note?: string;
	errors: Array<{ statusCode: string; message: string; fields?: string[] }>;
}

export interface QueryPage<T> {
	records: T[];
	totalSize: number;
	done: boolean;
	nextRecordsUrl?: string;
}

export type SalesforceRecord = Record<string, unknown> & { Id?: string; attributes?: { type: string; url: string } };

export interface DescribeField {
	name: string;
	label: string;
	type: string;
	length?: number;
	nillable: boolean;
	createable: boolean;
	updateable: boolean;
	defaultedOnCreate: boolean;
	externalId: boolean;
	idLookup?: boolean;
	/** The field Salesforce shows as the record's name (Name, CaseNumber, Subject). */
	nameField?: boolean;
	unique?: boolean;
	filterable?: boolean;
	sortable?: boolean;
	calculated?: boolean;
	custom?: boolean;
	relationshipName?: string | null;
	referenceTo?: string[];
	picklistValues?: Array<{ value: string; label: string; active: boolean; defaultValue?: boolean }>;
}

export interface DescribeResult {
	name: string;
	label: string;
	keyPrefix?: string | null;
	queryable?: boolean;
	createable?: boolean;
	fields: DescribeField[];
	recordTypeInfos?: Array<{ recordTypeId: string; name: string; developerName?: string; active?: boolean; available?: boolean; master?: boolean }>;
}

export interface GlobalDescribeEntry {
	name: string;
	label: string;
	queryable: boolean;
	createable: boolean;
	updateable: boolean;
	deletable: boolean;
	searchable: boolean;
	custom: boolean;
}

export interface RequestOptions {
	/**
	 * The call only reads, whatever its method (sObject Collections retrieve is a POST): it is sent again after a lost
	 * connection or a 5xx answer, as a GET is, and its failure is never an unknown outcome.
	 */
	read?: boolean;
	/**
	 * For an error answer the caller expects: the call's result it stands for, or undefined when it is a failure.
	 * Invocable actions answer 400 with every input's result when one input failed (actions.ts).
	 */
	acceptError?(error: unknown): unknown;
}

/** One REST call relative to /services/data/vXX.X (or an absolute path starting with /services). */
export interface Requester {
	request<T>(method: Method, path: string, body?: unknown, headers?: Record<string, string>, options?: RequestOptions): Promise<T>;
}
