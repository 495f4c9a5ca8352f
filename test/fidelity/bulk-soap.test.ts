// Bulk API 2.0 ingest and SOAP convertLead through jsforce. Follows "Bulk API 2.0 and Bulk API Developer Guide"
// (Bulk API 2.0 Ingest: "Create a Job", "Upload Job Data", "Get Job Successful Record Results", "Get Job Failed Record
// Results", "Valid CSV Record Rows") and "SOAP API Developer Guide" (convertLead(), LeadConvertResult; INVALID_SESSION_ID).
import { describe, expect, it } from 'vitest';
import { onConnectedEmulator } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;

onConnectedEmulator((started) => ({ emulator, conn } = started));

describe('Bulk API 2.0', () => {
	it('inserts thousands of rows and reports failures per row', async () => {
		const input = Array.from({ length: 3000 }, (_, i) => ({
			LastName: i === 7 ? '' : `Bulk "${i}", quoted`, Company: 'Bulk Co', External_Id__c: `BULK-${i}`, Description: i === 8 ? null : 'line one\nline two',
		}));
		const results = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'insert', input, pollInterval: 10, pollTimeout: 60_000 });
		expect(results.successfulResults).toHaveLength(2999);
		expect(results.failedResults).toHaveLength(1);
		expect(results.failedResults[0].sf__Error).toMatch(/^REQUIRED_FIELD_MISSING:Required fields are missing: \[LastName\]/);
		const sample = results.successfulResults.find((r) => (r as Record<string, unknown>).External_Id__c === 'BULK-42')!;
		expect(sample.sf__Created).toBe('true');
		expect(emulator.store.get('Lead', sample.sf__Id as string)).toMatchObject({ LastName: 'Bulk "42", quoted', Description: 'line one\nline two' });
	});

	it('upserts on an external ID, updating existing rows and creating new ones', async () => {
		const input = [
			{ External_Id__c: 'BULK-1', Title: 'Updated', LastName: 'Bulk 1', Company: 'Bulk Co' },
			{ External_Id__c: 'BULK-NEW', Title: null, LastName: 'New', Company: 'Bulk Co' },
		];
		const results = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'upsert', externalIdFieldName: 'External_Id__c', input, pollInterval: 10, pollTimeout: 60_000 });
		expect(results.successfulResults.map((r) => [(r as Record<string, unknown>).External_Id__c, r.sf__Created])).toEqual([['BULK-1', 'false'], ['BULK-NEW', 'true']]);
		const [updated] = emulator.store.all('Lead').filter((r) => r.External_Id__c === 'BULK-1');
		expect(updated.Title).toBe('Updated');
	});
});

describe('SOAP convertLead', () => {
	it('converts a lead into an account, contact and opportunity', async () => {
		const lead = emulator.store.insert('Lead', { FirstName: 'Conv', LastName: 'Ert', Company: 'Convert Co', Email: 'c@e.example' });
		const result = await conn.soap.convertLead({ leadId: lead.Id as string, convertedStatus: 'Closed - Converted', opportunityName: 'Big deal' });
		expect(result).toMatchObject({ success: true, leadId: lead.Id });
		expect(result.accountId).toMatch(/^001/);
		expect(result.contactId).toMatch(/^003/);
		expect(result.opportunityId).toMatch(/^006/);
		expect(emulator.store.get('Lead', lead.Id as string)).toMatchObject({
			IsConverted: true, Status: 'Closed - Converted', ConvertedAccountId: result.accountId, ConvertedContactId: result.contactId,
		});
		expect(emulator.store.get('Contact', result.contactId!)).toMatchObject({ LastName: 'Ert', Email: 'c@e.example', AccountId: result.accountId });
		expect(emulator.store.get('Opportunity', result.opportunityId!)).toMatchObject({ Name: 'Big deal', StageName: 'Prospecting' });

		const again = await conn.soap.convertLead({ leadId: lead.Id as string, convertedStatus: 'Closed - Converted' });
		expect(again).toMatchObject({ success: false, errors: [{ statusCode: 'CANNOT_UPDATE_CONVERTED_LEAD' }] });
	});

	it('attaches to an existing account without an opportunity, and rejects a non-converted status', async () => {
		const [account] = emulator.store.all('Account');
		const lead = emulator.store.insert('Lead', { LastName: 'Attach', Company: 'Attach Co' });
		const bad = await conn.soap.convertLead({ leadId: lead.Id as string, convertedStatus: 'Working - Contacted' });
		expect(bad).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_STATUS' }] });
		const result = await conn.soap.convertLead({ leadId: lead.Id as string, convertedStatus: 'Closed - Converted', accountId: account.Id as string, doNotCreateOpportunity: true });
		expect(result).toMatchObject({ success: true, accountId: account.Id, opportunityId: null });
	});

	it('re-authenticates when the SOAP session expired', async () => {
		const lead = emulator.store.insert('Lead', { LastName: 'Session', Company: 'S' });
		emulator.faults.expireTokens();
		const result = await conn.soap.convertLead({ leadId: lead.Id as string, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true });
		expect(result.success).toBe(true);
	});
});
