/** The operations every sObject has (`actions/sobject/`), by their Operation value. */
export const SOBJECT_OPERATIONS = ['addNote', 'create', 'delete', 'describe', 'get', 'getAll', 'update', 'upsert'] as const;

/** Operations only some resources offer, by their Operation value. */
export const EXTRA_OPERATIONS = ['addToCampaign', 'convert'] as const;

export type SObjectOperation = (typeof SOBJECT_OPERATIONS)[number];
export type ExtraOperation = (typeof EXTRA_OPERATIONS)[number];

/** One entry of the Resource parameter: its value, label, the sObject it works on and the operations it offers. */
export interface ResourceDeclaration {
	value: string;
	label: string;
	/** The sObject API name; fixed for every resource today. */
	sobject: { fixed: string };
	sobjectOperations: readonly SObjectOperation[];
	extraOperations: readonly ExtraOperation[];
}

/**
 * The resources; adding one is one entry here. The editor lists them by label; this order is the one of the
 * `resource` lists in the operations' `displayOptions`.
 */
export const RESOURCES = [
	{ value: 'lead', label: 'Lead', sobject: { fixed: 'Lead' }, sobjectOperations: SOBJECT_OPERATIONS, extraOperations: ['addToCampaign', 'convert'] },
	{ value: 'contact', label: 'Contact', sobject: { fixed: 'Contact' }, sobjectOperations: SOBJECT_OPERATIONS, extraOperations: ['addToCampaign'] },
	{ value: 'opportunity', label: 'Opportunity', sobject: { fixed: 'Opportunity' }, sobjectOperations: SOBJECT_OPERATIONS, extraOperations: [] },
] as const satisfies readonly ResourceDeclaration[];

export type Resource = (typeof RESOURCES)[number]['value'];

export const DEFAULT_RESOURCE: Resource = 'lead';

/** The sObject API name a Resource value works on (an unknown value is taken as an sObject name, as before). */
export function sobjectOf(resource: string): string {
	return RESOURCES.find((declared) => declared.value === resource)?.sobject.fixed ?? resource;
}
