// Field values as Salesforce reads and writes them. Writes through jsforce: "Valid Date and DateTime Formats"
// (REST API Developer Guide) — dates are yyyy-MM-dd, datetimes ISO 8601; a string Salesforce cannot read as a date is
// refused with JSON_PARSER_ERROR ("Cannot deserialize instance of date from VALUE_STRING value …"), never rolled
// over into another day. SOQL literals: "Date Formats and Date Literals" (SOQL and SOSL Reference) — dates are
// unquoted; a quoted one is refused. Decimal fields in record JSON ("sObject Rows", "Execute a SOQL Query" and
// "sObject Collections", REST API Developer Guide): double, currency and percent values come as Java doubles, with a
// decimal point (37.0) and E notation from 10^7 (1.5E7), as a real org answers; jsforce reads them as numbers.
import { describe, expect, it } from 'vitest';
import { javaDouble } from '../emulator/format.ts';
import { API_VERSION, onConnectedEmulator } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;

onConnectedEmulator((started) => ({ emulator, conn } = started));

type SalesforceFailure = Error & { errorCode: string };
const failure = (e: Error) => e as SalesforceFailure;
const opportunity = (CloseDate: string) => ({ Name: `Dated ${CloseDate}`, StageName: 'Prospecting', CloseDate });

describe('dates on write', () => {
	it.each(['01/02/2026', '2026-02-30', '2026-13-01', '2026-1-2', '2026-01-02 10:00'])('refuses %s with JSON_PARSER_ERROR and saves nothing', async (value) => {
		const error = await conn.sobject('Opportunity').create(opportunity(value)).then(() => undefined, failure);
		expect(error?.errorCode).toBe('JSON_PARSER_ERROR');
		expect(error?.message).toBe(`Cannot deserialize instance of date from VALUE_STRING value ${value} or request may be missing a required field`);
		const saved = await conn.query(`SELECT Id FROM Opportunity WHERE Name = 'Dated ${value}'`);
		expect(saved.totalSize).toBe(0);
	});

	it('keeps a real date as it was sent, 29 February of a leap year included', async () => {
		for (const value of ['2026-02-28', '2028-02-29']) {
			const { id } = await conn.sobject('Opportunity').create(opportunity(value));
			const saved = (await conn.sobject('Opportunity').retrieve(id!)) as Record<string, unknown>;
			expect(saved.CloseDate).toBe(value);
		}
		const error = await conn.sobject('Opportunity').create(opportunity('2027-02-29')).then(() => undefined, failure);
		expect(error?.errorCode).toBe('JSON_PARSER_ERROR');
	});
});

describe('dates in sObject Collections', () => {
	it('refuse the whole request body, so no record of it is saved', async () => {
		const response = await fetch(`${emulator.url}/services/data/v${API_VERSION}/composite/sobjects`, {
			method: 'POST',
			headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				allOrNone: false,
				records: [
					{ attributes: { type: 'Opportunity' }, ...opportunity('2026-05-01'), Name: 'Batch good' },
					{ attributes: { type: 'Opportunity' }, ...opportunity('2026-02-30'), Name: 'Batch bad' },
				],
			}),
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual([{
			errorCode: 'JSON_PARSER_ERROR',
			message: 'Cannot deserialize instance of date from VALUE_STRING value 2026-02-30 or request may be missing a required field',
		}]);
		expect((await conn.query("SELECT Id FROM Opportunity WHERE Name LIKE 'Batch %'")).totalSize).toBe(0);
	});
});

describe('dates in Bulk API 2.0 ingest', () => {
	// "Valid Date Format in Records" (Bulk API 2.0 Developer Guide): dates are yyyy-MM-dd; a row with another one fails.
	it('fail the row that carries them, naming the column and the xsd type', async () => {
		const { successfulResults, failedResults } = await conn.bulk2.loadAndWaitForResults({
			object: 'Opportunity', operation: 'insert', pollInterval: 50,
			input: [{ ...opportunity('2026-07-01'), Name: 'Bulk good' }, { ...opportunity('7/1/2026'), Name: 'Bulk bad' }],
		});
		expect(successfulResults.map((r) => (r as Record<string, unknown>).Name)).toEqual(['Bulk good']);
		expect(failedResults).toHaveLength(1);
		expect(failedResults[0].sf__Error).toBe("INVALID_FIELD:Failed to deserialize field at col 3. Due to, '7/1/2026' is not a valid value for the type xsd:date:CloseDate --");
	});
});

describe('dates in SOQL', () => {
	it('refuses a quoted date with INVALID_QUERY_FILTER_OPERATOR', async () => {
		const error = await conn.query("SELECT Id FROM Opportunity WHERE CloseDate = '2026-01-02'").then(() => undefined, failure);
		expect(error?.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
		expect(error?.message).toContain("value of filter criterion for field 'CloseDate' must be of type date and should not be enclosed in quotes");
		const datetime = await conn.query("SELECT Id FROM Lead WHERE CreatedDate > '2026-01-02T00:00:00Z'").then(() => undefined, failure);
		expect(datetime?.message).toContain("value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes");
	});

	it('refuses a day that does not exist instead of reading the next month', async () => {
		const error = await conn.query('SELECT Id FROM Opportunity WHERE CloseDate = 2026-02-30').then(() => undefined, failure);
		expect(error?.errorCode).toBe('MALFORMED_QUERY');
		const datetime = await conn.query('SELECT Id FROM Lead WHERE CreatedDate > 2026-02-30T00:00:00Z').then(() => undefined, failure);
		expect(datetime?.errorCode).toBe('MALFORMED_QUERY');
	});

	it('compares unquoted dates and datetimes with zones', async () => {
		const { id } = await conn.sobject('Opportunity').create({ ...opportunity('2031-03-04'), Name: 'Zoned' });
		const on = await conn.query("SELECT Id FROM Opportunity WHERE CloseDate = 2031-03-04 AND Name = 'Zoned'");
		expect(on.records.map((r) => r.Id)).toEqual([id]);
		const created = await conn.query(`SELECT CreatedDate FROM Opportunity WHERE Id = '${id!}'`);
		const at = new Date(String(created.records[0].CreatedDate).replace('+0000', 'Z'));
		const plusOne = new Date(at.getTime() + 3_600_000).toISOString().slice(0, 19) + '+01:00';
		const same = await conn.query(`SELECT Id FROM Opportunity WHERE Id = '${id!}' AND CreatedDate = ${plusOne}`);
		expect(same.totalSize).toBe(1);
	});
});

describe('decimal values in JSON', () => {
	const get = async (path: string) => {
		const response = await fetch(`${emulator.url}/services/data/v${API_VERSION}${path}`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
		expect(response.status).toBe(200);
		return response.text();
	};
	const soql = (text: string) => get(`/query?q=${encodeURIComponent(text)}`);

	it('writes double, currency and percent values with a decimal point, integers without', async () => {
		const { id } = await conn.sobject('Lead').create({ LastName: 'Decimal', Company: 'D', Score__c: 37, AnnualRevenue: 15_000_000, NumberOfEmployees: 12 });
		const record = await get(`/sobjects/Lead/${id!}`);
		expect(record).toContain('"Score__c":37.0,');
		expect(record).toContain('"AnnualRevenue":1.5E7,');
		expect(record).toContain('"NumberOfEmployees":12,');
		const rows = await soql(`SELECT Score__c, AnnualRevenue, NumberOfEmployees, Owner.Alias FROM Lead WHERE Id = '${id!}'`);
		expect(rows).toContain('"Score__c":37.0,"AnnualRevenue":1.5E7,"NumberOfEmployees":12,');
		const retrieved = await fetch(`${emulator.url}/services/data/v${API_VERSION}/composite/sobjects/Lead?ids=${id!}&fields=Score__c,AnnualRevenue`, {
			headers: { authorization: `Bearer ${conn.accessToken}` },
		}).then((r) => r.text());
		expect(retrieved).toContain('"Score__c":37.0,"AnnualRevenue":1.5E7}');
		expect(await conn.sobject('Lead').retrieve(id!)).toMatchObject({ Score__c: 37, AnnualRevenue: 15_000_000, NumberOfEmployees: 12 });
	});

	it('does so in aggregate results, parent records and child subqueries', async () => {
		const aggregate = await soql("SELECT SUM(Score__c), COUNT(Id), AVG(NumberOfEmployees) FROM Lead WHERE LastName = 'Decimal'");
		expect(aggregate).toContain('"expr0":37.0,"expr1":1,"expr2":12.0}');
		const { id: accountId } = await conn.sobject('Account').create({ Name: 'Decimal Account', AnnualRevenue: 0.5 });
		await conn.sobject('Opportunity').create({ ...opportunity('2026-06-01'), AccountId: accountId, Amount: 5000 });
		const children = await soql(`SELECT Name, (SELECT Amount, Probability FROM Opportunities) FROM Account WHERE Id = '${accountId!}'`);
		expect(children).toContain('"Amount":5000.0,"Probability":10.0}');
		const parents = await soql(`SELECT Amount, Account.AnnualRevenue FROM Opportunity WHERE AccountId = '${accountId!}'`);
		expect(parents).toContain('"AnnualRevenue":0.5}');
		expect(parents).toContain('"Amount":5000.0,');
	});
});

describe('Java double text', () => {
	it('switches to E notation at 10^7 and below 10^-3, always with a fraction digit', () => {
		expect([0, 37, -2.5, 0.001, 9_999_999.5, 1e7, 15_000_000, -2.5e8, 1e-4, 1.25e21].map(javaDouble))
			.toEqual(['0.0', '37.0', '-2.5', '0.001', '9999999.5', '1.0E7', '1.5E7', '-2.5E8', '1.0E-4', '1.25E21']);
	});
});
