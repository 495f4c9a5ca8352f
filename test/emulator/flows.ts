// The org's flows: their FlowDefinitionView rows and, for the autolaunched ones, deterministic behaviour that the
// invocable-action routes (rest/actions.ts) run: compute outputs from inputs, create a record, fault on bad input.
import { randomBytes } from 'node:crypto';
import { formatDate } from './clock.ts';
import { caseSafeSuffix } from './ids.ts';
import type { Store } from './store.ts';

/** An input or output variable as the action's describe lists it; `type` is the describe's (STRING, DOUBLE, BOOLEAN). */
export interface FlowVariable {
	name: string;
	label: string;
	type: 'STRING' | 'DOUBLE' | 'BOOLEAN';
	required?: boolean;
	description?: string;
}

export type FlowValues = Record<string, unknown>;

/** What a running flow interview may use: the org's records, as the invoking user. */
export interface InterviewContext {
	store: Store;
	userId: string;
}

export interface FlowDefinition {
	apiName: string;
	namespacePrefix?: string;
	label: string;
	description: string;
	/** FlowDefinitionView.ProcessType: AutoLaunchedFlow, or Flow for a screen flow. */
	processType: 'AutoLaunchedFlow' | 'Flow';
	/** Record-triggered, scheduled and platform-event flows start by themselves; null for one that is invoked. */
	triggerType?: 'RecordAfterSave' | 'RecordBeforeSave' | 'Scheduled';
	triggerObject?: string;
	/** Whether a version is active (the emulator's flows have one version). */
	active: boolean;
	inputs: FlowVariable[];
	outputs: FlowVariable[];
	/** One interview: its output variables, or a thrown error (a fault the flow does not handle). */
	run(inputs: FlowValues, ctx: InterviewContext): FlowValues;
}

const DAY = 86_400_000;
const TIER_DISCOUNT_PERCENT: Record<string, number> = { Gold: 20, Silver: 10 };
/** Calculate_Discount asks for approval above this discount. */
export const APPROVAL_THRESHOLD = 1000;

export const FLOWS: FlowDefinition[] = [
	{
		apiName: 'Calculate_Discount',
		label: 'Calculate Discount',
		description: 'Discount for an amount by customer tier: Gold 20 %, Silver 10 %, others none; approval above 1,000.',
		processType: 'AutoLaunchedFlow',
		active: true,
		inputs: [
			{ name: 'amount', label: 'Amount', type: 'DOUBLE', required: true },
			{ name: 'customerTier', label: 'Customer Tier', type: 'STRING' },
		],
		outputs: [
			{ name: 'discountPercent', label: 'Discount Percent', type: 'DOUBLE' },
			{ name: 'discount', label: 'Discount', type: 'DOUBLE' },
			{ name: 'finalAmount', label: 'Final Amount', type: 'DOUBLE' },
			{ name: 'approvalRequired', label: 'Approval Required', type: 'BOOLEAN' },
		],
		run: ({ amount, customerTier }) => {
			const discountPercent = TIER_DISCOUNT_PERCENT[String(customerTier ?? '')] ?? 0;
			const discount = (Number(amount) * discountPercent) / 100;
			return { discountPercent, discount, finalAmount: Number(amount) - discount, approvalRequired: discount > APPROVAL_THRESHOLD };
		},
	},
	{
		apiName: 'Create_Follow_Up_Task',
		label: 'Create Follow-Up Task',
		description: 'Creates a Not Started task for a contact or lead; faults when the ID is not one.',
		processType: 'AutoLaunchedFlow',
		active: true,
		inputs: [
			{ name: 'whoId', label: 'Contact or Lead ID', type: 'STRING', required: true },
			{ name: 'subject', label: 'Subject', type: 'STRING' },
			{ name: 'daysUntilDue', label: 'Days Until Due', type: 'DOUBLE' },
		],
		outputs: [{ name: 'taskId', label: 'Task ID', type: 'STRING' }],
		run: ({ whoId, subject, daysUntilDue }, { store, userId }) => {
			const due = new Date(store.now().getTime() + Number(daysUntilDue ?? 0) * DAY);
			const task = store.insert('Task', { WhoId: whoId, Subject: subject ?? 'Follow up', ActivityDate: formatDate(due) }, { userId });
			return { taskId: task.Id };
		},
	},
	{
		apiName: 'Normalize_Phone',
		namespacePrefix: 'acme',
		label: 'Normalize Phone',
		description: 'From the Acme Tools package: a phone number in E.164 form.',
		processType: 'AutoLaunchedFlow',
		active: true,
		inputs: [{ name: 'phone', label: 'Phone', type: 'STRING', required: true }],
		outputs: [{ name: 'e164', label: 'E.164 Phone', type: 'STRING' }],
		run: ({ phone }) => ({ e164: `+${String(phone).replace(/\D/g, '')}` }),
	},
	{
		apiName: 'Legacy_Lead_Cleanup',
		label: 'Legacy Lead Cleanup',
		description: 'Replaced by a scheduled job; no active version.',
		processType: 'AutoLaunchedFlow',
		active: false,
		inputs: [],
		outputs: [{ name: 'leadsCleaned', label: 'Leads Cleaned', type: 'DOUBLE' }],
		run: () => ({ leadsCleaned: 0 }),
	},
	{
		apiName: 'Customer_Onboarding_Wizard',
		label: 'Customer Onboarding Wizard',
		description: 'Screens that walk a service agent through onboarding.',
		processType: 'Flow',
		active: true,
		inputs: [],
		outputs: [],
		run: () => ({}),
	},
	{
		apiName: 'Opportunity_Won_Notification',
		label: 'Opportunity Won Notification',
		description: 'Notifies the account owner when an opportunity is won.',
		processType: 'AutoLaunchedFlow',
		triggerType: 'RecordAfterSave',
		triggerObject: 'Opportunity',
		active: true,
		inputs: [],
		outputs: [],
		run: () => ({}),
	},
];

/** The name an invocable action goes by: the API name, prefixed by the namespace for a packaged flow. */
export const actionNameOf = (flow: FlowDefinition): string => (flow.namespacePrefix ? `${flow.namespacePrefix}__${flow.apiName}` : flow.apiName);

/**
 * Flows that the REST API runs as invocable actions: autolaunched flows without a trigger ("Start a Flow from REST
 * API", Salesforce Help: only autolaunched flows). One without an active version runs its latest version ("Get
 * Custom Invocable Actions", REST API Developer Guide), so it is invocable too.
 */
export function invocableFlows(): FlowDefinition[] {
	return FLOWS.filter((flow) => flow.processType === 'AutoLaunchedFlow' && !flow.triggerType);
}

export function findInvocableFlow(actionName: string): FlowDefinition | undefined {
	return invocableFlows().find((flow) => actionNameOf(flow).toLowerCase() === actionName.toLowerCase());
}

/** A new interview's GUID, shaped like Salesforce's (34 hex digits, a dash, 4 more). */
export function interviewGuid(): string {
	return `${randomBytes(17).toString('hex')}-${randomBytes(2).toString('hex')}`;
}

/** The FlowDefinitionView rows; a version ID (301) shares its 15-character body with the definition's ID (300). */
export function seedFlows(store: Store, adminName: string): void {
	for (const flow of FLOWS) {
		const row = store.systemInsert('FlowDefinitionView', {});
		const versionId15 = `301${(row.Id as string).slice(3, 15)}`;
		const versionId = versionId15 + caseSafeSuffix(versionId15);
		store.systemUpdate(store.describe('FlowDefinitionView'), row.Id as string, {
			ApiName: flow.apiName,
			NamespacePrefix: flow.namespacePrefix ?? null,
			Label: flow.label,
			Description: flow.description,
			DurableId: row.Id,
			ProcessType: flow.processType,
			TriggerType: flow.triggerType ?? null,
			TriggerObjectOrEventLabel: flow.triggerObject ?? null,
			ActiveVersionId: flow.active ? versionId : null,
			LatestVersionId: versionId,
			IsActive: flow.active,
			IsOutOfDate: false,
			IsTemplate: false,
			Builder: 'Flow Builder',
			ManageableState: flow.namespacePrefix ? 'installed' : 'unmanaged',
			InstalledPackageName: flow.namespacePrefix ? 'Acme Tools' : null,
			LastModifiedBy: adminName,
		});
	}
}
