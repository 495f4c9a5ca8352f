import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { LiveTrigger, TestEventListener } from './instant/run';
import type { InstantMemory } from './instant/replay';
import { DEFAULT_TEST_EVENT_WAIT_SECONDS, readInstantSettings } from './instant/settings';
import { WATCHED_OBJECT_NAME, documentationUrl, labelsOfParameter } from './properties/canvas';
import { optionsCollection, timeoutOption } from './properties/options';
import { watchedObjectProperties } from './properties/watchedObject';
import { CREDENTIAL_TYPE, SalesforceClient } from './transport';
import { getQueryableObjects, getTriggerFields } from './trigger/loadOptions';

const EVENTS = [
	{ name: 'Created', value: 'created', description: 'A record was created' },
	{ name: 'Deleted', value: 'deleted', description: 'A record was deleted (moved to the Recycle Bin)' },
	{ name: 'Undeleted', value: 'undeleted', description: 'A record was restored from the Recycle Bin' },
	{ name: 'Updated', value: 'updated', description: 'A record was changed' },
];

export class SalesforceCrmInstantTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce CRM Instant Trigger',
		name: 'salesforceCrmInstantTrigger',
		icon: { light: 'file:../../icons/salesforce.svg', dark: 'file:../../icons/salesforce.dark.svg' },
		group: ['trigger'],
		version: 1,
		documentationUrl: documentationUrl('salesforce-crm-instant-trigger'),
		subtitle: `={{ ${labelsOfParameter('events', EVENTS)} + ": " + ${WATCHED_OBJECT_NAME} }}`,
		description: 'Starts the workflow the moment Salesforce records are created, updated, deleted or undeleted (Change Data Capture)',
		defaults: { name: 'Salesforce CRM Instant Trigger' },
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					'Salesforce sends change events only for the objects selected in Setup → Integrations → Change Data Capture, to a user with "View All Records" on the object (or "View All Data")',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			...watchedObjectProperties('Any object selected for Change Data Capture, custom objects included'),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				noDataExpression: true,
				options: EVENTS,
				default: ['created', 'updated'],
			},
			{
				displayName: 'Field Changes',
				name: 'fieldChanges',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add field change',
				default: {},
				description:
					'Only when one of these fields changed (a created or undeleted record counts as setting the fields it holds; deletions are not filtered)',
				options: [
					{
						displayName: 'Change',
						name: 'change',
						values: [
							{
								displayName: 'Field Name or ID',
								name: 'field',
								type: 'options',
								typeOptions: { loadOptionsMethod: 'getTriggerFields', loadOptionsDependsOn: ['sobject', 'otherObject'] },
								default: '',
								description:
									'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
							},
							{
								displayName: 'New Value',
								name: 'to',
								type: 'options',
								options: [
									{ name: 'Any Value', value: 'any' },
									{ name: 'Is', value: 'value', description: 'The field changed to this value' },
									{ name: 'Is Empty', value: 'empty', description: 'The field was cleared' },
								],
								default: 'any',
							},
							{
								displayName: 'Value',
								name: 'value',
								type: 'string',
								displayOptions: { show: { to: ['value'] } },
								default: '',
								placeholder: 'Closed Won',
								description: 'The new value as Salesforce stores it (numbers and checkboxes compare as such: 100, true)',
							},
						],
					},
				],
			},
			optionsCollection([
				{
					displayName: 'Include Current Record',
					name: 'includeRecord',
					type: 'boolean',
					default: false,
					description:
						"Whether to read each record's current field values into $record (one query per 200 records across the events that arrive together)",
				},
				{
					displayName: 'Reconcile Missed Changes',
					name: 'reconcile',
					type: 'boolean',
					default: false,
					description:
						'Whether to read the records changed while events were missed (the trigger was off longer than the 72 hours Salesforce keeps them) and emit them with $event.type "reconciled"',
				},
				{
					displayName: 'Start With',
					name: 'startWith',
					type: 'options',
					options: [
						{ name: 'New Events', value: 'new', description: 'Changes made after the first activation' },
						{ name: 'All Retained Events', value: 'retained', description: 'Every change of the last 72 hours, then new ones' },
					],
					default: 'new',
					description: 'Where the first activation starts; later activations continue after the last event processed',
				},
				{
					displayName: 'Test Event Wait (Seconds)',
					name: 'testEventWaitSeconds',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 600 },
					default: DEFAULT_TEST_EVENT_WAIT_SECONDS,
					description: 'Fetch Test Event waits this long for a new change, then takes the newest change of the last 72 hours',
				},
				timeoutOption,
			]),
		],
	};

	methods = { loadOptions: { getQueryableObjects, getTriggerFields } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const settings = readInstantSettings(this);
		const client = await SalesforceClient.for(this);
		if (this.getMode() === 'manual') {
			const listener = new TestEventListener(this, client, settings);
			return {
				manualTriggerFunction: async () => this.emit([await listener.fetch()]),
				closeFunction: async () => await listener.close(),
			};
		}
		const live = new LiveTrigger(this, client, settings, this.getWorkflowStaticData('node') as InstantMemory);
		await live.start();
		return { closeFunction: async () => await live.close() };
	}
}
