import type {
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { withoutAttributes } from './helpers/records';
import { SoqlError } from './helpers/soql';
import { conditionsProperty, matchProperty } from './properties/conditions';
import { CREDENTIAL_TYPE, SalesforceClient } from './transport';
import type { Emission } from './trigger/cursor';
import { getQueryableObjects, getRecordTypes, getTriggerConditionFields, getTriggerFields, getTriggerPicklistValues } from './trigger/loadOptions';
import { newestChanges, pollChanges, PurgedDeletionsError, type TriggerMemory } from './trigger/poll';
import { DEFAULT_LOOKBACK_MINUTES, DEFAULT_MAX_RECORDS_PER_POLL, readSettings } from './trigger/settings';
import { WATCHED_OBJECT_NAME, documentationUrl, labelOfParameter } from './properties/canvas';
import { optionsCollection, timeoutOption } from './properties/options';
import { watchedObjectProperties } from './properties/watchedObject';

const EVENTS: INodePropertyOptions[] = [
	{ name: 'Created', value: 'created', description: 'A record was created' },
	{
		name: 'Created or Updated',
		value: 'createdOrUpdated',
		description: 'A record was created or changed (a record created and edited between two polls yields both)',
	},
	{ name: 'Deleted', value: 'deleted', description: 'A record was deleted (moved to the Recycle Bin)' },
	{ name: 'Updated', value: 'updated', description: 'An existing record was changed' },
];

/** The parameters naming the watched object, on which its field lists depend. */
const WATCHED_OBJECT = ['sobject', 'otherObject'];

export class SalesforceCrmTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce CRM Trigger',
		name: 'salesforceCrmTrigger',
		icon: { light: 'file:../../icons/salesforce.svg', dark: 'file:../../icons/salesforce.dark.svg' },
		group: ['trigger'],
		// Version 2: picklists, checkboxes and dates in conditions take their values in a dropdown, a toggle and a date
		// picker; version 1 keeps text values and its plain field names.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: `={{ ${labelOfParameter('event', EVENTS)} + ": " + ${WATCHED_OBJECT_NAME} }}`,
		documentationUrl: documentationUrl('salesforce-crm-trigger'),
		description: 'Starts the workflow when Salesforce records are created, updated or deleted',
		defaults: { name: 'Salesforce CRM Trigger' },
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			...watchedObjectProperties('Any object you can query, custom objects included'),
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: EVENTS,
				default: 'createdOrUpdated',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add filter',
				default: {},
				options: [
					{ ...conditionsProperty('getTriggerFields', WATCHED_OBJECT), displayOptions: { show: { '@version': [1] } } },
					{
						...conditionsProperty('getTriggerConditionFields', WATCHED_OBJECT, 'getTriggerPicklistValues'),
						displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
					},
					matchProperty,
					{
						displayName: 'Record Type Name or ID',
						name: 'recordTypeId',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getRecordTypes', loadOptionsDependsOn: WATCHED_OBJECT },
						default: '',
						description:
							'Only records of this record type. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'WHERE Clause',
						name: 'where',
						type: 'string',
						default: '',
						placeholder: "LeadSource = 'Web' AND Rating = 'Hot'",
						description: 'A SOQL condition added to the others with AND. Sent as written.',
					},
				],
			},
			optionsCollection([
				{
					displayName: 'Field Names or IDs',
					name: 'fields',
					type: 'multiOptions',
					typeOptions: { loadOptionsMethod: 'getTriggerFields', loadOptionsDependsOn: WATCHED_OBJECT },
					default: [],
					description:
						'Fields to return; none chosen returns every field. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Lookback Window (Minutes)',
					name: 'lookbackMinutes',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: DEFAULT_LOOKBACK_MINUTES,
					description:
						'How far back each poll looks again for changes whose transaction committed late (their timestamp is older than the moment they became visible). Salesforce ends transactions after 10 minutes.',
				},
				{
					displayName: 'Max Records per Poll',
					name: 'maxRecordsPerPoll',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: DEFAULT_MAX_RECORDS_PER_POLL,
					description: 'The rest is picked up by the next poll; nothing is skipped',
				},
				{
					displayName: 'Start From',
					name: 'startAt',
					type: 'dateTime',
					default: '',
					description:
						'Where the first activation starts: changes after this date are reported. Empty: only changes made after activation.',
				},
				timeoutOption,
			]),
		],
	};

	methods = { loadOptions: { getQueryableObjects, getTriggerFields, getTriggerConditionFields, getTriggerPicklistValues, getRecordTypes } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);
		const client = await SalesforceClient.for(this);
		try {
			if (this.getMode() === 'manual') {
				const newest = await newestChanges(client, settings, 1);
				if (newest.length === 0) {
					throw new NodeOperationError(this.getNode(), `No ${settings.sobject} record matches yet`, {
						description: `Create or change a matching ${settings.sobject} in Salesforce, then fetch the test event again.`,
					});
				}
				return [toItems(newest, settings.sobject)];
			}
			const memory = this.getWorkflowStaticData('node') as TriggerMemory;
			const { emissions, interruptedBy } = await pollChanges(client, memory, settings, Date.now());
			if (interruptedBy !== undefined) {
				if (emissions.length === 0) throw interruptedBy;
				this.logger.warn(`Salesforce CRM Trigger: poll stopped early, the rest follows next poll: ${String(interruptedBy)}`);
			}
			return emissions.length ? [toItems(emissions, settings.sobject)] : null;
		} catch (error) {
			throw error instanceof SoqlError || error instanceof PurgedDeletionsError
				? new NodeOperationError(this.getNode(), error.message)
				: client.error(error);
		}
	}
}

/** `{ ...record, $event: { type, at, object } }`: the record's fields (no `attributes`) plus what happened. */
function toItems(emissions: Emission[], sobject: string): INodeExecutionData[] {
	return emissions.map(({ type, at, record }) => ({ json: { ...withoutAttributes(record), $event: { type, at, object: sobject } } }));
}
