/** The record operations every sObject has (`actions/sobject/`), by their Operation value. */
export const SOBJECT_OPERATIONS = ['addNote', 'create', 'delete', 'describe', 'get', 'getAll', 'update', 'upsert'] as const;

export type SObjectOperation = (typeof SOBJECT_OPERATIONS)[number];

/**
 * The folders of `actions/` that serve operations: `sobject` holds the record operations of every sObject, the
 * others the operations of some resources only.
 */
export const OPERATION_GROUPS = ['sobject', 'campaign', 'case', 'file', 'flow', 'lead', 'search'] as const;

export type OperationGroup = (typeof OPERATION_GROUPS)[number];

/** The sObject a resource's record operations work on: fixed, or chosen in the node's Object parameter (Any Object). */
export type SObjectChoice = { fixed: string } | { chosen: true };

/** One entry of the Resource parameter. */
export interface ResourceDeclaration {
	value: string;
	label: string;
	/** How its operation labels name one record ("lead", "record"); the label in lower case when absent. */
	noun?: string;
	/** Absent for resources whose operations name their objects themselves (Search) or work on no sObject (Flow). */
	sobject?: SObjectChoice;
	/** Operation value → the group (folder of `actions/`) whose module serves it. */
	operations: Readonly<Record<string, OperationGroup>>;
}

/** Record operations served by `actions/sobject/`. */
const record = (operations: readonly SObjectOperation[]): Record<string, OperationGroup> =>
	Object.fromEntries(operations.map((operation) => [operation, 'sobject']));

const ALL_RECORD_OPERATIONS = record(SOBJECT_OPERATIONS);
/** Salesforce attaches no notes to activities (Task, Event) or cases (those take Case Comments: Add Comment). */
const NO_NOTE_OPERATIONS = record(SOBJECT_OPERATIONS.filter((operation) => operation !== 'addNote'));

/**
 * The resources; adding one is one entry here. The editor lists them by label; this order is the one of the
 * `resource` lists in the operations' `displayOptions`.
 */
export const RESOURCES = [
	{ value: 'lead', label: 'Lead', sobject: { fixed: 'Lead' }, operations: { ...ALL_RECORD_OPERATIONS, addToCampaign: 'campaign', convert: 'lead' } },
	{ value: 'contact', label: 'Contact', sobject: { fixed: 'Contact' }, operations: { ...ALL_RECORD_OPERATIONS, addToCampaign: 'campaign' } },
	{ value: 'opportunity', label: 'Opportunity', sobject: { fixed: 'Opportunity' }, operations: ALL_RECORD_OPERATIONS },
	{ value: 'account', label: 'Account', sobject: { fixed: 'Account' }, operations: ALL_RECORD_OPERATIONS },
	{ value: 'case', label: 'Case', sobject: { fixed: 'Case' }, operations: { ...NO_NOTE_OPERATIONS, addComment: 'case' } },
	{ value: 'task', label: 'Task', sobject: { fixed: 'Task' }, operations: NO_NOTE_OPERATIONS },
	{ value: 'event', label: 'Event', sobject: { fixed: 'Event' }, operations: NO_NOTE_OPERATIONS },
	{ value: 'user', label: 'User', sobject: { fixed: 'User' }, operations: record(['describe', 'get', 'getAll']) },
	{ value: 'anyObject', label: 'Any Object', noun: 'record', sobject: { chosen: true }, operations: ALL_RECORD_OPERATIONS },
	{ value: 'search', label: 'Search', operations: { query: 'search', search: 'search' } },
	{ value: 'file', label: 'File', operations: { upload: 'file', download: 'file', getAll: 'file' } },
	{ value: 'flow', label: 'Flow', operations: { getAll: 'flow', invoke: 'flow' } },
] as const satisfies readonly ResourceDeclaration[];

export type Resource = (typeof RESOURCES)[number]['value'];

export const DEFAULT_RESOURCE: Resource = 'lead';

/** The Object parameter of Any Object (a resource locator: from the list, or by API name). */
export const SOBJECT_PARAMETER = 'sobject';

export function resourceOf(value: string): ResourceDeclaration | undefined {
	return (RESOURCES as readonly ResourceDeclaration[]).find((declared) => declared.value === value);
}

/**
 * The sObject API name a Resource value works on: its fixed sObject, or the Object parameter's value for Any Object
 * (`chosen()` reads it; check it with isApiName, describe confirms it exists). Undefined for resources without one.
 */
export function sobjectOf(resource: string, chosen: () => unknown): string | undefined {
	const declared = resourceOf(resource)?.sobject;
	if (!declared) return undefined;
	return 'fixed' in declared ? declared.fixed : String(chosen() ?? '').trim();
}
