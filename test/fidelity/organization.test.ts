// The org and the current user as a client reads them: "Organization" (Object Reference for the Salesforce
// Platform) through SOQL with jsforce, "Query for User Information" (Salesforce Help, the OpenID Connect UserInfo
// endpoint) over plain HTTP, since jsforce reads identity through the /id URL instead.
import { describe, expect, it } from 'vitest';
import { onConnectedEmulator } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;

onConnectedEmulator((started) => ({ emulator, conn } = started));

async function userInfo(query = ''): Promise<Record<string, unknown>> {
	const response = await fetch(`${emulator.url}/services/oauth2/userinfo${query}`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
	expect(response.status).toBe(200);
	return (await response.json()) as Record<string, unknown>;
}

describe('Organization', () => {
	it('has one row, the org of the token, with IsSandbox, InstanceName and OrganizationType', async () => {
		const result = await conn.query<Record<string, unknown>>('SELECT Id, Name, IsSandbox, InstanceName, OrganizationType FROM Organization');
		expect(result.totalSize).toBe(1);
		const [org] = result.records;
		expect(org).toMatchObject({ Name: 'Emulator Inc.', IsSandbox: false, InstanceName: 'EMU1', OrganizationType: 'Developer Edition' });
		expect(org.Id).toMatch(/^00D[a-zA-Z0-9]{15}$/);
		expect((await userInfo()).organization_id).toBe(org.Id);
		expect(conn.accessToken!.split('!')[0]).toBe((org.Id as string).slice(0, 15));
	});

	it('is read-only through the API', async () => {
		const error = await conn.sobject('Organization').create({ Name: 'Other' }).then(() => undefined, (e: { errorCode: string }) => e);
		expect(error?.errorCode).toBe('INVALID_TYPE');
	});
});

describe('UserInfo endpoint', () => {
	it('describes the token user, consistently with SOQL on User', async () => {
		const info = await userInfo();
		const [user] = (await conn.query<Record<string, unknown>>(`SELECT Id, Username, Email, FirstName, LastName, Alias FROM User WHERE Id = '${String(info.user_id)}'`)).records;
		expect(info).toMatchObject({
			user_id: user.Id, preferred_username: user.Username, email: user.Email, given_name: user.FirstName,
			family_name: user.LastName, nickname: user.Alias, active: true, user_type: 'STANDARD',
		});
		expect(info.sub).toBe(`${emulator.url}/id/${String(info.organization_id)}/${String(user.Id)}`);
	});
});
