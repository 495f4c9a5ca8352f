// Object and field metadata of the emulated org, shaped like Salesforce's describe.
export type FieldType =
	| 'id' | 'string' | 'textarea' | 'email' | 'phone' | 'url' | 'picklist' | 'multipicklist' | 'boolean'
	| 'int' | 'double' | 'currency' | 'percent' | 'date' | 'datetime' | 'reference' | 'base64';

export interface PicklistValue {
	value: string;
	label: string;
	active: boolean;
	defaultValue: boolean;
}

export interface FieldMeta {
	name: string;
	label: string;
	type: FieldType;
	length: number;
	precision: number;
	scale: number;
	nillable: boolean;
	createable: boolean;
	updateable: boolean;
	defaultedOnCreate: boolean;
	defaultValue: unknown;
	externalId: boolean;
	unique: boolean;
	idLookup: boolean;
	nameField: boolean;
	custom: boolean;
	calculated: boolean;
	/** Filled by Salesforce from a counter on insert (Case.CaseNumber), never written through the API. */
	autoNumber: boolean;
	picklistValues: PicklistValue[];
	restrictedPicklist: boolean;
	referenceTo: string[];
	relationshipName: string | null;
}

export interface ObjectMeta {
	name: string;
	label: string;
	labelPlural: string;
	keyPrefix: string;
	createable: boolean;
	updateable: boolean;
	deletable: boolean;
	fields: FieldMeta[];
	/** Lower-case field name → field. */
	fieldIndex: Map<string, FieldMeta>;
}

type FieldOptions = Partial<Omit<FieldMeta, 'picklistValues'>> & { values?: string[]; required?: boolean; readOnly?: boolean };

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
	id: 18, reference: 18, string: 255, textarea: 32000, email: 80, phone: 40, url: 255, picklist: 255, multipicklist: 4099,
};

export function field(name: string, type: FieldType, options: FieldOptions = {}): FieldMeta {
	const { values, required, readOnly, ...rest } = options;
	const defaultValue = rest.defaultValue ?? (type === 'boolean' ? false : null);
	const numeric = type === 'double' || type === 'currency' || type === 'percent' || type === 'int';
	return {
		name,
		label: labelOf(name),
		type,
		length: DEFAULT_LENGTH[type] ?? 0,
		precision: numeric ? 18 : 0,
		scale: type === 'currency' || type === 'percent' ? 2 : 0,
		nillable: !required && type !== 'boolean',
		createable: !readOnly,
		updateable: !readOnly,
		defaultedOnCreate: type === 'boolean' || rest.defaultValue !== undefined,
		defaultValue,
		externalId: false,
		unique: false,
		idLookup: type === 'id',
		nameField: false,
		custom: name.endsWith('__c'),
		calculated: false,
		autoNumber: false,
		restrictedPicklist: false,
		referenceTo: [],
		relationshipName: null,
		...rest,
		picklistValues: (values ?? []).map((v) => ({ value: v, label: v, active: true, defaultValue: v === rest.defaultValue })),
	};
}

function labelOf(name: string): string {
	const base = name.replace(/__c$/, '').replace(/_/g, ' ');
	if (base.endsWith('Id') && base.length > 2) return base.slice(0, -2).replace(/([a-z])([A-Z])/g, '$1 $2') + ' ID';
	return base.replace(/([a-z])([A-Z])/g, '$1 $2');
}

function reference(name: string, referenceTo: string[], options: FieldOptions = {}): FieldMeta {
	return field(name, 'reference', { referenceTo, relationshipName: name.replace(/Id$/, ''), ...options });
}

const SYSTEM_FIELDS = (): FieldMeta[] => [
	field('Id', 'id', { readOnly: true, nillable: false, defaultedOnCreate: true }),
	field('IsDeleted', 'boolean', { readOnly: true }),
	field('CreatedDate', 'datetime', { readOnly: true, nillable: false, defaultedOnCreate: true }),
	reference('CreatedById', ['User'], { readOnly: true, nillable: false, defaultedOnCreate: true, relationshipName: 'CreatedBy' }),
	field('LastModifiedDate', 'datetime', { readOnly: true, nillable: false, defaultedOnCreate: true }),
	reference('LastModifiedById', ['User'], { readOnly: true, nillable: false, defaultedOnCreate: true, relationshipName: 'LastModifiedBy' }),
	field('SystemModstamp', 'datetime', { readOnly: true, nillable: false, defaultedOnCreate: true }),
];

const OWNER = (): FieldMeta => reference('OwnerId', ['User'], { nillable: false, defaultedOnCreate: true, relationshipName: 'Owner' });
const EXTERNAL_ID = (): FieldMeta =>
	field('External_Id__c', 'string', { length: 255, externalId: true, unique: true, idLookup: true, label: 'External Id' });
const NAME = (length = 255): FieldMeta => field('Name', 'string', { length, required: true, nameField: true });
const PERSON_NAME = (): FieldMeta[] => [
	field('Salutation', 'picklist', { length: 40, values: ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'] }),
	field('FirstName', 'string', { length: 40 }),
	field('LastName', 'string', { length: 80, required: true }),
	field('Name', 'string', { length: 121, readOnly: true, nameField: true }),
];
const address = (prefix: string): FieldMeta[] => [
	field(`${prefix}Street`, 'textarea', { length: 255 }),
	field(`${prefix}City`, 'string', { length: 40 }),
	field(`${prefix}State`, 'string', { length: 80 }),
	field(`${prefix}PostalCode`, 'string', { length: 20 }),
	field(`${prefix}Country`, 'string', { length: 80 }),
];

export const LEAD_STATUSES = [
	{ label: 'Open - Not Contacted', converted: false },
	{ label: 'Working - Contacted', converted: false },
	{ label: 'Closed - Converted', converted: true },
	{ label: 'Closed - Not Converted', converted: false },
];
export const OPPORTUNITY_STAGES = [
	{ label: 'Prospecting', probability: 10, closed: false, won: false, forecast: 'Pipeline' },
	{ label: 'Qualification', probability: 10, closed: false, won: false, forecast: 'Pipeline' },
	{ label: 'Needs Analysis', probability: 20, closed: false, won: false, forecast: 'Pipeline' },
	{ label: 'Value Proposition', probability: 50, closed: false, won: false, forecast: 'Pipeline' },
	{ label: 'Id. Decision Makers', probability: 60, closed: false, won: false, forecast: 'Pipeline' },
	{ label: 'Perception Analysis', probability: 70, closed: false, won: false, forecast: 'Pipeline' },
	{ label: 'Proposal/Price Quote', probability: 75, closed: false, won: false, forecast: 'Pipeline' },
	{ label: 'Negotiation/Review', probability: 90, closed: false, won: false, forecast: 'Pipeline' },
	{ label: 'Closed Won', probability: 100, closed: true, won: true, forecast: 'Closed' },
	{ label: 'Closed Lost', probability: 0, closed: true, won: false, forecast: 'Omitted' },
];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const INDUSTRIES = [
	'Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction', 'Consulting',
	'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental', 'Finance', 'Food & Beverage',
	'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery', 'Manufacturing', 'Media', 'Not For Profit',
	'Recreation', 'Retail', 'Shipping', 'Technology', 'Telecommunications', 'Transportation', 'Utilities', 'Other',
];
/** Case Status values of a new org ("CaseStatus", Object Reference): which ones close the case. */
export const CASE_STATUSES = [
	{ label: 'New', closed: false },
	{ label: 'Working', closed: false },
	{ label: 'Escalated', closed: false },
	{ label: 'Closed', closed: true },
];
/**
 * The reference fields whose rows Salesforce deletes with the record they point at (master-detail style children), as
 * `Object.Field`. A file's versions and links go with its ContentDocument ("ContentDocument", Object Reference: "When
 * you delete a document, all versions of that document are deleted"), and a record's links to files go with the record.
 */
export const CASCADE_DELETE_FIELDS = new Set([
	'CampaignMember.CampaignId', 'CampaignMember.LeadId', 'CampaignMember.ContactId', 'Note.ParentId', 'CaseComment.ParentId',
	'ContentVersion.ContentDocumentId', 'ContentDocumentLink.ContentDocumentId', 'ContentDocumentLink.LinkedEntityId',
]);
const ACCOUNT_TYPES = ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner', 'Technology Partner', 'Other'];

/**
 * Object options. `systemFields: false`: an object that has only Id of the system fields (a view such as
 * FlowDefinitionView); `audited: false`: one without CreatedDate/LastModifiedDate and their user fields
 * (ContentDocumentLink).
 */
type ObjectOptions = Partial<ObjectMeta> & { systemFields?: boolean; audited?: boolean };

const AUDIT_FIELDS = new Set(['CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById']);

function objectMeta(name: string, keyPrefix: string, fields: FieldMeta[], options: ObjectOptions = {}): ObjectMeta {
	const [id, ...system] = SYSTEM_FIELDS().filter((f) => options.audited !== false || !AUDIT_FIELDS.has(f.name));
	const all = [id, ...fields, ...(options.systemFields === false ? [] : system)];
	return {
		name,
		label: options.label ?? name.replace(/([a-z])([A-Z])/g, '$1 $2'),
		labelPlural: options.labelPlural ?? (options.label ?? name.replace(/([a-z])([A-Z])/g, '$1 $2')) + 's',
		keyPrefix,
		createable: options.createable ?? true,
		updateable: options.updateable ?? true,
		deletable: options.deletable ?? true,
		fields: all,
		fieldIndex: new Map(all.map((f) => [f.name.toLowerCase(), f])),
	};
}

/** What an activity (Task, Event) can be about: its polymorphic WhatId. */
const ACTIVITY_WHAT = ['Account', 'Opportunity', 'Campaign', 'Case'];
/** What a file can be shared with (ContentDocumentLink.LinkedEntityId, ContentVersion.FirstPublishLocationId): records with a feed, users. */
const FILE_PARENTS = ['Account', 'Campaign', 'Case', 'Contact', 'Event', 'Lead', 'Opportunity', 'Task', 'User'];

export function buildSchema(): Map<string, ObjectMeta> {
	const objects = [
		objectMeta('User', '005', [
			field('Username', 'string', { length: 80, required: true, unique: true, idLookup: true }),
			...PERSON_NAME().slice(1),
			field('Alias', 'string', { length: 8, required: true }),
			field('Email', 'email', { required: true, length: 128 }),
			field('Title', 'string', { length: 80 }),
			field('CompanyName', 'string', { length: 80 }),
			field('Department', 'string', { length: 80 }),
			field('Phone', 'phone'),
			reference('ManagerId', ['User'], { relationshipName: 'Manager' }),
			field('UserType', 'picklist', { length: 40, readOnly: true, defaultedOnCreate: true, values: ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'], defaultValue: 'Standard' }),
			field('IsActive', 'boolean', { defaultValue: true }),
			field('TimeZoneSidKey', 'picklist', { length: 40, values: ['GMT', 'Europe/Paris', 'America/Los_Angeles'], defaultValue: 'GMT' }),
		]),
		objectMeta('RecordType', '012', [
			NAME(80),
			field('DeveloperName', 'string', { length: 80, required: true }),
			field('SobjectType', 'picklist', { length: 40, required: true, values: ['Account', 'Lead', 'Contact', 'Opportunity'] }),
			field('Description', 'string', { length: 255 }),
			field('IsActive', 'boolean', { defaultValue: true }),
		], { label: 'Record Type' }),
		objectMeta('Account', '001', [
			NAME(255),
			reference('ParentId', ['Account'], { relationshipName: 'Parent' }),
			field('Type', 'picklist', { length: 255, values: ACCOUNT_TYPES }),
			field('Industry', 'picklist', { values: INDUSTRIES }),
			...address('Billing'),
			field('Phone', 'phone'),
			field('Website', 'url'),
			field('AnnualRevenue', 'currency'),
			field('NumberOfEmployees', 'int', { precision: 8 }),
			field('Description', 'textarea'),
			OWNER(),
			EXTERNAL_ID(),
		]),
		objectMeta('Contact', '003', [
			reference('AccountId', ['Account']),
			...PERSON_NAME(),
			field('Title', 'string', { length: 128 }),
			field('Department', 'string', { length: 80 }),
			field('Email', 'email'),
			field('Phone', 'phone'),
			field('MobilePhone', 'phone'),
			...address('Mailing'),
			field('LeadSource', 'picklist', { values: LEAD_SOURCES }),
			field('Birthdate', 'date'),
			field('Description', 'textarea'),
			field('HasOptedOutOfEmail', 'boolean'),
			OWNER(),
			EXTERNAL_ID(),
			field('Preferred_Channel__c', 'picklist', { values: ['Email', 'Phone', 'SMS'], restrictedPicklist: true, label: 'Preferred Channel' }),
			field('Loyalty_Points__c', 'double', { precision: 10, label: 'Loyalty Points' }),
		]),
		objectMeta('Lead', '00Q', [
			...PERSON_NAME(),
			field('Title', 'string', { length: 128 }),
			field('Company', 'string', { length: 255, required: true }),
			...address(''),
			field('Phone', 'phone'),
			field('MobilePhone', 'phone'),
			field('Email', 'email'),
			field('Website', 'url'),
			field('Description', 'textarea'),
			field('LeadSource', 'picklist', { values: LEAD_SOURCES }),
			field('Status', 'picklist', {
				values: LEAD_STATUSES.map((s) => s.label), defaultValue: 'Open - Not Contacted', required: true, restrictedPicklist: true,
			}),
			field('Industry', 'picklist', { values: INDUSTRIES }),
			field('Rating', 'picklist', { values: ['Hot', 'Warm', 'Cold'] }),
			field('AnnualRevenue', 'currency'),
			field('NumberOfEmployees', 'int', { precision: 8 }),
			field('HasOptedOutOfEmail', 'boolean'),
			field('IsConverted', 'boolean', { readOnly: true }),
			field('ConvertedDate', 'date', { readOnly: true }),
			reference('ConvertedAccountId', ['Account'], { readOnly: true }),
			reference('ConvertedContactId', ['Contact'], { readOnly: true }),
			reference('ConvertedOpportunityId', ['Opportunity'], { readOnly: true }),
			field('IsUnreadByOwner', 'boolean'),
			OWNER(),
			EXTERNAL_ID(),
			field('Favorite_Color__c', 'picklist', { values: ['Red', 'Green', 'Blue'], restrictedPicklist: true, label: 'Favorite Color' }),
			field('Interests__c', 'multipicklist', { values: ['Cloud', 'Data', 'AI', 'Security'], label: 'Interests' }),
			field('Score__c', 'double', { precision: 5, label: 'Score' }),
		]),
		objectMeta('Opportunity', '006', [
			reference('AccountId', ['Account']),
			reference('RecordTypeId', ['RecordType']),
			NAME(120),
			field('Description', 'textarea'),
			field('StageName', 'picklist', { values: OPPORTUNITY_STAGES.map((s) => s.label), required: true, restrictedPicklist: true, label: 'Stage' }),
			field('Amount', 'currency'),
			field('Probability', 'percent', { precision: 3, scale: 0, defaultedOnCreate: true }),
			field('CloseDate', 'date', { required: true }),
			field('Type', 'picklist', { values: ['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade', 'New Customer'] }),
			field('NextStep', 'string', { length: 255 }),
			field('LeadSource', 'picklist', { values: LEAD_SOURCES }),
			field('IsClosed', 'boolean', { readOnly: true }),
			field('IsWon', 'boolean', { readOnly: true }),
			field('ForecastCategoryName', 'picklist', { values: ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], defaultedOnCreate: true }),
			reference('CampaignId', ['Campaign']),
			OWNER(),
			EXTERNAL_ID(),
			field('Delivery_Status__c', 'picklist', { values: ['Not Started', 'In Progress', 'Delivered'], restrictedPicklist: true, label: 'Delivery Status' }),
			field('Discount_Percent__c', 'percent', { precision: 5, label: 'Discount Percent' }),
		]),
		objectMeta('Campaign', '701', [
			NAME(80),
			field('Type', 'picklist', { values: ['Conference', 'Webinar', 'Trade Show', 'Email', 'Advertisement', 'Other'] }),
			field('Status', 'picklist', { values: ['Planned', 'In Progress', 'Completed', 'Aborted'] }),
			field('StartDate', 'date'),
			field('EndDate', 'date'),
			field('IsActive', 'boolean'),
			field('Description', 'textarea'),
			OWNER(),
		]),
		objectMeta('CampaignMember', '00v', [
			reference('CampaignId', ['Campaign'], { required: true, updateable: false }),
			reference('LeadId', ['Lead'], { updateable: false }),
			reference('ContactId', ['Contact'], { updateable: false }),
			field('Status', 'picklist', { values: ['Sent', 'Responded'], defaultValue: 'Sent' }),
			field('HasResponded', 'boolean', { readOnly: true }),
			field('FirstName', 'string', { length: 40, readOnly: true }),
			field('LastName', 'string', { length: 80, readOnly: true }),
			field('Email', 'email', { readOnly: true }),
		], { label: 'Campaign Member' }),
		objectMeta('CampaignMemberStatus', '01Y', [
			reference('CampaignId', ['Campaign'], { required: true, updateable: false }),
			field('Label', 'string', { length: 765, required: true }),
			field('SortOrder', 'int', { precision: 9 }),
			field('IsDefault', 'boolean'),
			field('HasResponded', 'boolean'),
		], { label: 'Campaign Member Status', labelPlural: 'Campaign Member Statuses' }),
		objectMeta('Note', '002', [
			reference('ParentId', ['Account', 'Contact', 'Lead', 'Opportunity', PROJECT_OBJECT], { required: true, updateable: false, relationshipName: 'Parent' }),
			field('Title', 'string', { length: 80, required: true }),
			field('Body', 'textarea'),
			field('IsPrivate', 'boolean'),
			OWNER(),
		]),
		objectMeta('Task', '00T', [
			reference('WhoId', ['Contact', 'Lead'], { relationshipName: 'Who' }),
			reference('WhatId', ACTIVITY_WHAT, { relationshipName: 'What' }),
			field('Subject', 'string', { length: 255 }),
			field('ActivityDate', 'date'),
			field('Status', 'picklist', { values: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'], defaultValue: 'Not Started', required: true }),
			field('Priority', 'picklist', { values: ['High', 'Normal', 'Low'], defaultValue: 'Normal', required: true }),
			field('Description', 'textarea'),
			field('IsClosed', 'boolean', { readOnly: true }),
			OWNER(),
			EXTERNAL_ID(),
		]),
		// "Event" (Object Reference): a timed event needs DurationInMinutes or EndDateTime, an all-day one defaults to a day.
		objectMeta('Event', '00U', [
			reference('WhoId', ['Contact', 'Lead'], { relationshipName: 'Who' }),
			reference('WhatId', ACTIVITY_WHAT, { relationshipName: 'What' }),
			field('Subject', 'string', { length: 255 }),
			field('Location', 'string', { length: 255 }),
			field('IsAllDayEvent', 'boolean'),
			field('ActivityDateTime', 'datetime'),
			field('ActivityDate', 'date'),
			field('StartDateTime', 'datetime'),
			field('EndDateTime', 'datetime'),
			field('DurationInMinutes', 'int', { precision: 8 }),
			field('ShowAs', 'picklist', { length: 40, values: ['Busy', 'OutOfOffice', 'Free'], defaultValue: 'Busy' }),
			field('Description', 'textarea'),
			OWNER(),
			EXTERNAL_ID(),
		]),
		// "Case" (Object Reference); picklist values are those of a new org.
		objectMeta('Case', '500', [
			field('CaseNumber', 'string', { length: 30, readOnly: true, defaultedOnCreate: true, nillable: false, autoNumber: true, idLookup: true, nameField: true }),
			reference('AccountId', ['Account']),
			reference('ContactId', ['Contact']),
			reference('ParentId', ['Case'], { relationshipName: 'Parent' }),
			field('Subject', 'string', { length: 255 }),
			field('Description', 'textarea'),
			field('Status', 'picklist', { values: CASE_STATUSES.map((s) => s.label), defaultValue: 'New' }),
			field('Priority', 'picklist', { values: ['High', 'Medium', 'Low'], defaultValue: 'Medium' }),
			field('Origin', 'picklist', { values: ['Phone', 'Email', 'Web'] }),
			field('Type', 'picklist', { values: ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other'] }),
			field('Reason', 'picklist', {
				values: ['Installation', 'Equipment Complexity', 'Performance', 'Breakdown', 'Equipment Design', 'Feedback', 'Other'],
			}),
			field('IsClosed', 'boolean', { readOnly: true }),
			field('ClosedDate', 'datetime', { readOnly: true }),
			field('IsEscalated', 'boolean'),
			field('SuppliedName', 'string', { length: 80 }),
			field('SuppliedEmail', 'email'),
			OWNER(),
			EXTERNAL_ID(),
		]),
		// "CaseComment" (Object Reference): no name and no owner; the parent case cannot change.
		objectMeta('CaseComment', '00a', [
			reference('ParentId', ['Case'], { required: true, updateable: false, relationshipName: 'Parent' }),
			field('CommentBody', 'textarea', { length: 4000 }),
			field('IsPublished', 'boolean'),
		], { label: 'Case Comment' }),
		objectMeta('LeadStatus', '01J', [
			field('MasterLabel', 'string', { length: 255, readOnly: true }),
			field('ApiName', 'string', { length: 255, readOnly: true }),
			field('SortOrder', 'int', { readOnly: true }),
			field('IsDefault', 'boolean', { readOnly: true }),
			field('IsConverted', 'boolean', { readOnly: true }),
		], { label: 'Lead Status', labelPlural: 'Lead Status Values', createable: false, updateable: false, deletable: false }),
		// "CaseStatus" (Object Reference): the Status picklist's values with whether each closes the case; read-only.
		objectMeta('CaseStatus', '01J', [
			field('MasterLabel', 'string', { length: 255, readOnly: true }),
			field('ApiName', 'string', { length: 255, readOnly: true, idLookup: true }),
			field('SortOrder', 'int', { precision: 9, readOnly: true }),
			field('IsDefault', 'boolean', { readOnly: true }),
			field('IsClosed', 'boolean', { readOnly: true }),
		], { label: 'Case Status Value', createable: false, updateable: false, deletable: false }),
		objectMeta('OpportunityStage', '01J', [
			field('MasterLabel', 'string', { length: 255, readOnly: true }),
			field('ApiName', 'string', { length: 255, readOnly: true }),
			field('IsActive', 'boolean', { readOnly: true }),
			field('SortOrder', 'int', { readOnly: true }),
			field('IsClosed', 'boolean', { readOnly: true }),
			field('IsWon', 'boolean', { readOnly: true }),
			field('ForecastCategoryName', 'string', { readOnly: true }),
			field('DefaultProbability', 'percent', { readOnly: true }),
		], { label: 'Opportunity Stage', createable: false, updateable: false, deletable: false }),
		// "Organization" (Object Reference): the org's one row, read-only through the API.
		objectMeta('Organization', '00D', [
			field('Name', 'string', { length: 80, readOnly: true, nameField: true }),
			field('Division', 'string', { length: 80, readOnly: true }),
			field('OrganizationType', 'picklist', {
				length: 40, readOnly: true, values: ['Developer Edition', 'Enterprise Edition', 'Professional Edition', 'Unlimited Edition', 'Team Edition'],
			}),
			field('IsSandbox', 'boolean', { readOnly: true }),
			field('InstanceName', 'string', { length: 5, readOnly: true }),
			field('NamespacePrefix', 'string', { length: 15, readOnly: true }),
			field('TrialExpirationDate', 'datetime', { readOnly: true }),
			field('Country', 'string', { length: 80, readOnly: true }),
			field('LanguageLocaleKey', 'picklist', { length: 40, readOnly: true, values: ['en_US'] }),
			field('DefaultLocaleSidKey', 'picklist', { length: 40, readOnly: true, values: ['en_US'] }),
			field('TimeZoneSidKey', 'picklist', { length: 40, readOnly: true, values: ['GMT'] }),
		], { createable: false, updateable: false, deletable: false }),
		// Salesforce Files ("ContentVersion", "ContentDocument", "ContentDocumentLink", Object Reference): a document holds
		// versions, the latest one's title, type and size; links share it with users and records. A version is only
		// created (a new one replaces the body), never deleted: deleting the document deletes its versions and links.
		objectMeta('ContentVersion', '068', [
			reference('ContentDocumentId', ['ContentDocument'], { nillable: false, updateable: false, defaultedOnCreate: true }),
			field('IsLatest', 'boolean', { readOnly: true, defaultedOnCreate: true }),
			field('ContentUrl', 'url', { length: 1300, label: 'Content URL' }),
			field('VersionNumber', 'string', { length: 20, readOnly: true }),
			field('Title', 'string', { length: 255, nillable: false, defaultedOnCreate: true, nameField: true }),
			field('Description', 'textarea', { length: 1000 }),
			field('ReasonForChange', 'string', { length: 1000 }),
			field('SharingOption', 'picklist', { length: 40, values: ['A', 'R'], defaultValue: 'A', restrictedPicklist: true }),
			field('SharingPrivacy', 'picklist', { length: 40, values: ['N', 'P'], defaultValue: 'N', restrictedPicklist: true }),
			field('PathOnClient', 'string', { length: 500, updateable: false }),
			field('IsMajorVersion', 'boolean', { updateable: false, defaultValue: true }),
			reference('FirstPublishLocationId', FILE_PARENTS, { updateable: false, relationshipName: 'FirstPublishLocation' }),
			field('ContentLocation', 'picklist', { length: 40, values: ['S', 'E', 'L'], defaultValue: 'S', updateable: false, restrictedPicklist: true }),
			field('Origin', 'picklist', { length: 40, values: ['C', 'H'], defaultValue: 'C', updateable: false, restrictedPicklist: true }),
			field('VersionData', 'base64', { updateable: false }),
			field('ContentSize', 'int', { readOnly: true, label: 'Size' }),
			field('FileType', 'string', { length: 20, readOnly: true, nillable: false, defaultedOnCreate: true }),
			field('FileExtension', 'string', { length: 40 }),
			field('Checksum', 'string', { length: 50, readOnly: true }),
			field('ContentModifiedDate', 'datetime', { updateable: false, defaultedOnCreate: true }),
			OWNER(),
		], { label: 'Content Version', deletable: false }),
		objectMeta('ContentDocument', '069', [
			field('Title', 'string', { length: 255, nillable: false, nameField: true }),
			reference('LatestPublishedVersionId', ['ContentVersion'], { readOnly: true, relationshipName: 'LatestPublishedVersion' }),
			field('PublishStatus', 'picklist', { length: 40, values: ['P', 'R', 'U'], readOnly: true, nillable: false, restrictedPicklist: true }),
			field('FileType', 'string', { length: 20, readOnly: true }),
			field('FileExtension', 'string', { length: 40, readOnly: true }),
			field('ContentSize', 'int', { readOnly: true, label: 'Size' }),
			field('ContentModifiedDate', 'datetime', { readOnly: true }),
			field('SharingOption', 'picklist', { length: 40, values: ['A', 'R'], defaultValue: 'A', restrictedPicklist: true }),
			field('SharingPrivacy', 'picklist', { length: 40, values: ['N', 'P'], defaultValue: 'N', restrictedPicklist: true }),
			field('IsArchived', 'boolean', { readOnly: true }),
			OWNER(),
		], { label: 'Content Document', createable: false }),
		objectMeta('ContentDocumentLink', '06A', [
			reference('LinkedEntityId', FILE_PARENTS, { required: true, updateable: false, relationshipName: 'LinkedEntity' }),
			reference('ContentDocumentId', ['ContentDocument'], { required: true, updateable: false }),
			field('ShareType', 'picklist', { length: 40, values: ['V', 'C', 'I'], required: true, restrictedPicklist: true }),
			field('Visibility', 'picklist', { length: 40, values: ['AllUsers', 'InternalUsers', 'SharedUsers'], defaultValue: 'AllUsers', restrictedPicklist: true }),
		], { label: 'Content Document Link', audited: false }),
		flowDefinitionView(),
		wideObject(),
		projectObject(),
	];
	return new Map(objects.map((o) => [o.name.toLowerCase(), o]));
}

/** FlowDefinitionView's ProcessType values the emulator's flows use ("FlowDefinitionView", Object Reference). */
export const FLOW_PROCESS_TYPES = ['AutoLaunchedFlow', 'Flow', 'Workflow', 'CustomEvent', 'InvocableProcess'];
/** What starts a flow by itself; null for a flow that something else starts (an autolaunched flow without trigger). */
export const FLOW_TRIGGER_TYPES = ['RecordBeforeSave', 'RecordAfterSave', 'RecordBeforeDelete', 'Scheduled', 'PlatformEvent'];

/**
 * "FlowDefinitionView" (Object Reference, API 46.0+): one read-only row per flow definition, queryable. IsActive
 * tells whether the latest version is the active one; ActiveVersionId is null when no version is active.
 */
function flowDefinitionView(): ObjectMeta {
	const text = (name: string, label: string, length = 255) => field(name, 'string', { length, readOnly: true, label });
	const flag = (name: string, label: string) => field(name, 'boolean', { readOnly: true, label });
	return objectMeta('FlowDefinitionView', '300', [
		text('ActiveVersionId', 'Active Flow Version API Name or ID'),
		text('ApiName', 'Flow API Name'),
		text('Builder', 'Built with'),
		text('Description', 'Flow Description'),
		text('DurableId', 'Durable ID'),
		text('InstalledPackageName', 'Package Name', 240),
		flag('IsActive', 'Active'),
		flag('IsOutOfDate', 'Is Using an Older Version'),
		flag('IsTemplate', 'Template'),
		text('Label', 'Flow Label'),
		text('LastModifiedBy', 'Last Modified By'),
		field('LastModifiedDate', 'datetime', { readOnly: true, label: 'Last Modified Date' }),
		text('LatestVersionId', 'Latest Flow Version API Name or ID'),
		field('ManageableState', 'picklist', { readOnly: true, values: ['unmanaged', 'installed', 'released', 'beta', 'deleted', 'deprecated'], restrictedPicklist: true, label: 'Manageable State' }),
		text('NamespacePrefix', 'Namespace Prefix', 15),
		field('ProcessType', 'picklist', { readOnly: true, values: FLOW_PROCESS_TYPES, restrictedPicklist: true, label: 'Process Type' }),
		field('TriggerType', 'picklist', { readOnly: true, values: FLOW_TRIGGER_TYPES, restrictedPicklist: true, label: 'Trigger Type' }),
		text('TriggerObjectOrEventLabel', 'Triggering Object or Event Label'),
	], { label: 'Flow Definition View', createable: false, updateable: false, deletable: false, systemFields: false });
}

/** A custom object whose SOQL field list alone exceeds the REST URL limit (800 fields of ≈40 characters). */
export const WIDE_OBJECT = 'Wide_Object__c';
export const WIDE_FIELD_COUNT = 800;
export const wideFieldName = (n: number): string => `Custom_Field_With_A_Long_Api_Name_${String(n).padStart(4, '0')}__c`;

function wideObject(): ObjectMeta {
	const fields = Array.from({ length: WIDE_FIELD_COUNT }, (_, i) =>
		field(wideFieldName(i + 1), 'string', { length: 255, label: `Custom Field With A Long Api Name ${i + 1}` }));
	return objectMeta(WIDE_OBJECT, 'a01', [field('Name', 'string', { length: 80, nameField: true, label: 'Wide Object Name' }), OWNER(), ...fields], {
		label: 'Wide Object', labelPlural: 'Wide Objects',
	});
}

/**
 * A custom object as an admin builds one ("Custom Objects", Object Reference: `__c` names, `__r` relationships): a
 * name, lookups to Account and Contact, a picklist, a currency, a date and an external ID.
 */
export const PROJECT_OBJECT = 'Project__c';

function projectObject(): ObjectMeta {
	const lookup = (name: string, to: string, label: string) =>
		field(name, 'reference', { referenceTo: [to], relationshipName: name.replace(/__c$/, '__r'), label });
	return objectMeta(PROJECT_OBJECT, 'a02', [
		field('Name', 'string', { length: 80, required: true, nameField: true, label: 'Project Name' }),
		lookup('Account__c', 'Account', 'Account'),
		lookup('Primary_Contact__c', 'Contact', 'Primary Contact'),
		field('Status__c', 'picklist', { values: ['Planned', 'Active', 'Done'], defaultValue: 'Planned', label: 'Status' }),
		field('Budget__c', 'currency', { label: 'Budget' }),
		field('Start_Date__c', 'date', { label: 'Start Date' }),
		OWNER(),
		EXTERNAL_ID(),
	], { label: 'Project', labelPlural: 'Projects' });
}

/** Child relationships as describe lists them: every reference field pointing at `objectName`. */
export function childRelationships(schema: Map<string, ObjectMeta>, objectName: string) {
	const PLURAL: Record<string, string> = {
		Contact: 'Contacts', Opportunity: 'Opportunities', CampaignMember: 'CampaignMembers', Note: 'Notes', Task: 'Tasks',
		CampaignMemberStatus: 'CampaignMemberStatuses', Case: 'Cases', CaseComment: 'CaseComments', Event: 'Events',
		ContentVersion: 'ContentVersions', ContentDocumentLink: 'ContentDocumentLinks', [PROJECT_OBJECT]: 'Projects__r',
	};
	const result = [];
	for (const child of schema.values()) {
		for (const f of child.fields) {
			if (f.type !== 'reference' || !f.referenceTo.includes(objectName) || f.name.endsWith('ById')) continue;
			const ownerLike = f.name === 'OwnerId' || f.name.startsWith('Converted') || f.name === 'FirstPublishLocationId';
			result.push({
				childSObject: child.name,
				field: f.name,
				relationshipName: ownerLike ? null : (PLURAL[child.name] ?? null),
				cascadeDelete: CASCADE_DELETE_FIELDS.has(`${child.name}.${f.name}`),
				restrictedDelete: false,
				deprecatedAndHidden: false,
				junctionIdListNames: [],
				junctionReferenceTo: [],
			});
		}
	}
	return result;
}
