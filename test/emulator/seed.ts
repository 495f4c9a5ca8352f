// The org's starting data: users (the first is the admin Run-As user), accounts, leads, contacts, opportunities,
// campaigns with member statuses, record types, the LeadStatus / OpportunityStage / CaseStatus setup rows and the
// flows (flows.ts).
import { formatDate } from './clock.ts';
import { ORG_ID } from './oauth.ts';
import { seedFlows } from './flows.ts';
import { CASE_STATUSES, LEAD_STATUSES, OPPORTUNITY_STAGES, WIDE_OBJECT, wideFieldName } from './schema.ts';
import type { Store } from './store.ts';

const MINUTE = 60_000;
/** The Salesforce instance the emulated org lives on (Organization.InstanceName). */
export const EMULATOR_INSTANCE = 'EMU1';

/** Creates the setup rows every org has, and returns the admin user's ID. */
export function seedSetup(store: Store): string {
	const users = [
		['admin@emulator.example', 'Emulator', 'Admin', 'eadmin', true],
		['ada@emulator.example', 'Ada', 'Lovelace', 'alove', true],
		['grace@emulator.example', 'Grace', 'Hopper', 'ghopp', true],
		['alan@emulator.example', 'Alan', 'Turing', 'aturi', true],
		['former@emulator.example', 'Former', 'Employee', 'femp', false],
	] as const;
	const [admin] = users.map(([Username, FirstName, LastName, Alias, IsActive]) =>
		store.insert('User', { Username, FirstName, LastName, Alias, IsActive, Email: Username, CompanyName: 'Emulator Inc.' }),
	);
	store.defaultUserId = admin.Id as string;
	for (const user of store.all('User')) {
		store.systemUpdate(store.describe('User'), user.Id as string, { CreatedById: admin.Id, LastModifiedById: admin.Id });
	}
	LEAD_STATUSES.forEach((s, i) => {
		store.systemInsert('LeadStatus', { MasterLabel: s.label, ApiName: s.label, SortOrder: i + 1, IsDefault: i === 0, IsConverted: s.converted });
	});
	OPPORTUNITY_STAGES.forEach((s, i) => {
		store.systemInsert('OpportunityStage', {
			MasterLabel: s.label, ApiName: s.label, IsActive: true, SortOrder: i + 1, IsClosed: s.closed, IsWon: s.won,
			ForecastCategoryName: s.forecast, DefaultProbability: s.probability,
		});
	});
	CASE_STATUSES.forEach((s, i) => {
		store.systemInsert('CaseStatus', { MasterLabel: s.label, ApiName: s.label, SortOrder: i + 1, IsDefault: i === 0, IsClosed: s.closed });
	});
	store.systemInsert('Organization', {
		Name: 'Emulator Inc.', OrganizationType: 'Developer Edition', IsSandbox: false, InstanceName: EMULATOR_INSTANCE, Country: 'France',
		LanguageLocaleKey: 'en_US', DefaultLocaleSidKey: 'en_US', TimeZoneSidKey: 'GMT', CreatedById: admin.Id, LastModifiedById: admin.Id,
	}, ORG_ID);
	store.insert('RecordType', { Name: 'New Business', DeveloperName: 'New_Business', SobjectType: 'Opportunity' });
	store.insert('RecordType', { Name: 'Renewal', DeveloperName: 'Renewal', SobjectType: 'Opportunity' });
	seedFlows(store, `${admin.FirstName} ${admin.LastName}`);
	return admin.Id as string;
}

/** Sample business data, created a day before the clock's current time, one minute apart. */
export function seedData(store: Store): void {
	let at = store.now().getTime() - 24 * 60 * MINUTE;
	const next = () => ({ at: new Date((at += MINUTE)) });
	const industries = ['Technology', 'Banking', 'Retail', 'Healthcare', 'Energy'];
	const accounts = ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Stark Industries'].map((Name, i) =>
		store.insert('Account', { Name, Industry: industries[i], Type: 'Customer - Direct', BillingCity: 'Paris', NumberOfEmployees: (i + 1) * 100 }, next()),
	);
	const first = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy'];
	const last = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau'];
	const statuses = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted'];
	const sources = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
	const leads = Array.from({ length: 20 }, (_, i) =>
		store.insert('Lead', {
			FirstName: first[i % 10], LastName: last[(i * 3) % 10], Company: `${last[(i * 7) % 10]} ${['SA', 'GmbH', 'Ltd'][i % 3]}`,
			Email: `${first[i % 10].toLowerCase()}.${i}@lead.example`, Status: statuses[i % 3], LeadSource: sources[i % 5],
			Industry: industries[i % 5], Rating: ['Hot', 'Warm', 'Cold'][i % 3], External_Id__c: `LEAD-${String(i + 1).padStart(4, '0')}`,
			Favorite_Color__c: i % 4 === 3 ? null : ['Red', 'Green', 'Blue'][i % 3], Score__c: (i * 37) % 100, AnnualRevenue: i % 2 ? 1_000_000 + i * 1000 : null,
		}, next()),
	);
	const contacts = Array.from({ length: 10 }, (_, i) =>
		store.insert('Contact', {
			FirstName: first[(i + 5) % 10], LastName: last[i], AccountId: accounts[i % 5].Id, Email: `contact${i + 1}@contact.example`,
			Title: ['CEO', 'CTO', 'VP Sales', 'Buyer', 'Engineer'][i % 5], External_Id__c: `CONTACT-${String(i + 1).padStart(4, '0')}`,
			Preferred_Channel__c: ['Email', 'Phone', 'SMS'][i % 3], LeadSource: sources[i % 5],
		}, next()),
	);
	const today = store.now();
	Array.from({ length: 10 }, (_, i) =>
		store.insert('Opportunity', {
			Name: `${accounts[i % 5].Name} deal ${i + 1}`, AccountId: accounts[i % 5].Id, StageName: OPPORTUNITY_STAGES[i].label,
			Amount: (i + 1) * 5000, CloseDate: formatDate(new Date(today.getTime() + (i - 3) * 7 * 24 * 60 * MINUTE)),
			External_Id__c: `OPP-${String(i + 1).padStart(4, '0')}`, Delivery_Status__c: i >= 8 ? 'Delivered' : 'Not Started',
		}, next()),
	);
	const campaigns = ['Spring Webinar', 'Paris Trade Show'].map((Name, i) =>
		store.insert('Campaign', { Name, Type: i ? 'Trade Show' : 'Webinar', Status: 'In Progress', IsActive: true }, next()),
	);
	for (const campaign of campaigns) {
		store.insert('CampaignMemberStatus', { CampaignId: campaign.Id, Label: 'Sent', SortOrder: 1, IsDefault: true, HasResponded: false }, next());
		store.insert('CampaignMemberStatus', { CampaignId: campaign.Id, Label: 'Responded', SortOrder: 2, IsDefault: false, HasResponded: true }, next());
	}
	store.insert('CampaignMember', { CampaignId: campaigns[0].Id, LeadId: leads[0].Id, Status: 'Responded' }, next());
	store.insert('CampaignMember', { CampaignId: campaigns[0].Id, ContactId: contacts[0].Id }, next());
	store.insert('Note', { ParentId: leads[0].Id, Title: 'First call', Body: 'Interested in the cloud offer.' }, next());
	store.insert('Task', { WhoId: leads[1].Id, Subject: 'Follow up', ActivityDate: formatDate(today) }, next());
	for (let i = 1; i <= 3; i++) {
		store.insert(WIDE_OBJECT, { Name: `Wide ${i}`, [wideFieldName(1)]: `first ${i}`, [wideFieldName(800)]: `last ${i}` }, next());
	}
}
