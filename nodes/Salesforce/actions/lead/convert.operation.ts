import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { STANDARD_OBJECTS } from '../../helpers/records';
import { SalesforceClient } from '../../transport';
import { ItemResults } from '../toolkit/batch';
import { recordLocator } from '../toolkit/descriptions';
import { recordIdParameter } from '../toolkit/records';
import { ObjectSchema } from '../toolkit/schema';
import { optionsCollection, timeoutOption } from '../../properties/options';
import { itemParameter } from '../toolkit/parameters';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	recordLocator({
		displayName: 'Lead',
		name: 'recordId',
		searchListMethod: 'searchRecords',
		description: 'The lead to convert',
	}),
	{
		displayName: 'Converted Status Name or ID',
		name: 'convertedStatus',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getConvertedStatuses' },
		required: true,
		default: '',
		description:
			'A lead status marked "Converted" in Setup → Lead Status. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	recordLocator({
			displayName: 'Existing Account',
			name: 'accountId',
			searchListMethod: 'searchAccounts',
			description: "Attach the contact to this account. Leave empty to create an account from the lead's company.",
			required: false,
			placeholderId: '0015g00000AbCdEFGH',
		}),
	recordLocator({
			displayName: 'Existing Contact',
			name: 'contactId',
			searchListMethod: 'searchContacts',
			description: 'Merge the lead into this contact (of the existing account). Leave empty to create a contact.',
			required: false,
			placeholderId: '0035g00000AbCdEFGH',
		}),
	recordLocator({
		displayName: 'Owner',
		name: 'ownerId',
		searchListMethod: 'searchUsers',
		description: 'User who owns the new records. Leave empty to keep the lead owner.',
		required: false,
		placeholderId: '0055g00000AbCdEFGH',
	}),
	{
		displayName: 'Create Opportunity',
		name: 'createOpportunity',
		type: 'boolean',
		default: true,
		description: 'Whether to create an opportunity along with the account and contact',
	},
	{
		displayName: 'Opportunity Name',
		name: 'opportunityName',
		type: 'string',
		default: '',
		description: "Leave empty to use the lead's company name",
		displayOptions: { show: { createOpportunity: [true] } },
	},
	optionsCollection([
		{
			displayName: 'Overwrite Lead Source',
			name: 'overwriteLeadSource',
			type: 'boolean',
			default: false,
			description: "Whether to copy the lead's source to an existing contact",
		},
		{
			displayName: 'Send Email to Owner',
			name: 'sendNotificationEmail',
			type: 'boolean',
			default: false,
			description: 'Whether Salesforce emails the owner about the conversion',
		},
		timeoutOption,
	]),
];

/** The SOAP convertLead call takes at most 100 leads. */
const LEADS_PER_CALL = 100;

interface ConvertError {
	statusCode: string;
	message: string;
	fields?: string[] | string;
}

export const label = (): Omit<INodePropertyOptions, 'value'> => ({ name: 'Convert', description: 'Convert a lead into an account, a contact and optionally an opportunity', action: 'Convert a lead' });

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const { describe: lead } = await ObjectSchema.load(client, 'Lead');
	const results = new ItemResults(this, items.length);
	const conversions: Array<{ itemIndex: number; request: Record<string, unknown> }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const optionalId = (name: string, describe: { name: string; keyPrefix: string }, label: string) =>
				itemParameter(this, name, itemIndex, '', { extractValue: true })
					? recordIdParameter(this, name, itemIndex, describe, label)
					: undefined;
			const createOpportunity = itemParameter(this, 'createOpportunity', itemIndex, true) as boolean;
			const options = itemParameter(this, 'options', itemIndex, {}) as {
				overwriteLeadSource?: boolean;
				sendNotificationEmail?: boolean;
			};
			const request: Record<string, unknown> = {
				leadId: recordIdParameter(this, 'recordId', itemIndex, lead, 'Lead'),
				convertedStatus: itemParameter(this, 'convertedStatus', itemIndex) as string,
				accountId: optionalId('accountId', STANDARD_OBJECTS.Account, 'Existing Account'),
				contactId: optionalId('contactId', STANDARD_OBJECTS.Contact, 'Existing Contact'),
				doNotCreateOpportunity: !createOpportunity,
				opportunityName: createOpportunity ? (itemParameter(this, 'opportunityName', itemIndex, '') as string) || undefined : undefined,
				ownerId: optionalId('ownerId', STANDARD_OBJECTS.User, 'Owner'),
				overwriteLeadSource: options.overwriteLeadSource ?? false,
				sendNotificationEmail: options.sendNotificationEmail ?? false,
			};
			conversions.push({ itemIndex, request: Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) });
		} catch (error) {
			results.failOrThrow(itemIndex, error);
		}
	}
	for (let start = 0; start < conversions.length; start += LEADS_PER_CALL) {
		const chunk = conversions.slice(start, start + LEADS_PER_CALL);
		let outcomes: Array<Record<string, unknown>>;
		try {
			outcomes = await client.convertLeads(chunk.map((conversion) => conversion.request));
		} catch (error) {
			const callError = client.error(error);
			chunk.forEach((conversion) => results.failOrThrow(conversion.itemIndex, callError));
			continue;
		}
		chunk.forEach(({ itemIndex }, position) => {
			const outcome = outcomes[position] ?? {};
			if (String(outcome.success) !== 'true') {
				results.failRecordOrThrow(itemIndex, { errors: asList(outcome.errors as ConvertError | ConvertError[]).map(normalizeError) });
				return;
			}
			results.add(itemIndex, {
				leadId: outcome.leadId as string,
				accountId: (outcome.accountId as string) ?? null,
				contactId: (outcome.contactId as string) ?? null,
				opportunityId: (outcome.opportunityId as string) ?? null,
			});
		});
	}
	return results.all;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

function normalizeError(error: ConvertError) {
	return { statusCode: error.statusCode, message: error.message, fields: asList(error.fields) };
}
