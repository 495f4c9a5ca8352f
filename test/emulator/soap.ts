// The SOAP Partner API endpoint, for the one call the REST API lacks: convertLead.
import { formatDate } from './clock.ts';
import { SalesforceError } from './errors.ts';
import { route } from './http.ts';
import { toId18 } from './ids.ts';
import { LEAD_STATUSES, OPPORTUNITY_STAGES } from './schema.ts';
import type { Reply, Route } from './http.ts';
import type { Org } from './org.ts';
import type { SObjectRecord } from './store.ts';

interface XmlNode {
	name: string;
	children: XmlNode[];
	text: string;
	nil: boolean;
}

const ENVELOPE_OPEN =
	'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
	'xmlns="urn:partner.soap.sforce.com" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">';

export function soapRoutes(org: Org): Route[] {
	return [route('POST', '/services/Soap/u/{version}', 'data', async (req) => {
		let envelope: XmlNode;
		try {
			envelope = parseXml(req.body.toString('utf8'));
		} catch {
			return fault('soapenv:Client', 'Unable to parse the SOAP envelope', 500);
		}
		const sessionId = find(envelope, 'Header', 'SessionHeader', 'sessionId')?.text;
		const session = org.oauth.session(sessionId);
		if (!session) {
			return fault('sf:INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session', 500, 'INVALID_SESSION_ID');
		}
		const call = find(envelope, 'Body')?.children[0];
		if (call?.name !== 'convertLead') {
			return fault('soapenv:Client', `No operation available for request {urn:partner.soap.sforce.com}${call?.name ?? ''}`, 500);
		}
		// One conversion at a time: each rolls back alone (atomically keeps its undo log until it settles).
		const results: string[] = [];
		for (const leadConvert of call.children.filter((c) => c.name === 'leadConverts')) results.push(await convert(org, leadConvert, session.userId));
		return soapReply(`<convertLeadResponse>${results.map((r) => `<result>${r}</result>`).join('')}</convertLeadResponse>`);
	}, false)];
}

async function convert(org: Org, request: XmlNode, userId: string): Promise<string> {
	const value = (name: string) => {
		const node = request.children.find((c) => c.name === name);
		return node && !node.nil && node.text !== '' ? node.text : undefined;
	};
	const flag = (name: string) => value(name) === 'true';
	const leadId = value('leadId');
	try {
		return await org.store.atomically(() => {
			const { store } = org;
			const leadMeta = store.describe('Lead');
			const lead = leadId && toId18(leadId) ? store.get('Lead', leadId) : undefined;
			if (!lead || lead.IsDeleted) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
			if (lead.IsConverted) throw new SalesforceError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
			const status = value('convertedStatus');
			if (!status) throw new SalesforceError('REQUIRED_FIELD_MISSING', 'Required field is missing: convertedStatus', { fields: ['convertedStatus'] });
			if (!LEAD_STATUSES.some((s) => s.converted && s.label === status)) {
				throw new SalesforceError('INVALID_STATUS', `invalid convertedStatus: ${status}`);
			}
			const owner = value('ownerId') ?? (lead.OwnerId as string);
			const write = { userId };
			const accountId = value('accountId') ?? (store.insert('Account', { Name: lead.Company, Industry: lead.Industry, Phone: lead.Phone, Website: lead.Website, BillingCity: lead.City, BillingCountry: lead.Country, OwnerId: owner }, write).Id as string);
			if (!store.get('Account', accountId) || store.get('Account', accountId)!.IsDeleted) {
				throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', { fields: ['accountId'] });
			}
			let contactId = value('contactId');
			if (contactId) {
				const contact = store.get('Contact', contactId);
				if (!contact || contact.IsDeleted) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', { fields: ['contactId'] });
				if (flag('overwriteLeadSource')) store.update('Contact', contactId, { LeadSource: lead.LeadSource }, write);
				contactId = contact.Id as string;
			} else {
				contactId = store.insert('Contact', {
					AccountId: accountId, Salutation: lead.Salutation, FirstName: lead.FirstName, LastName: lead.LastName, Title: lead.Title,
					Email: lead.Email, Phone: lead.Phone, MobilePhone: lead.MobilePhone, LeadSource: lead.LeadSource, Description: lead.Description,
					MailingCity: lead.City, MailingCountry: lead.Country, HasOptedOutOfEmail: lead.HasOptedOutOfEmail, OwnerId: owner,
				}, write).Id as string;
			}
			let opportunityId: string | null = null;
			if (!flag('doNotCreateOpportunity')) {
				opportunityId = store.insert('Opportunity', {
					Name: value('opportunityName') ?? `${lead.Company as string}-`, AccountId: accountId, StageName: OPPORTUNITY_STAGES[0].label,
					CloseDate: formatDate(store.now()), LeadSource: lead.LeadSource, OwnerId: owner,
				}, write).Id as string;
			}
			const converted: SObjectRecord = {
				IsConverted: true, Status: status, ConvertedDate: formatDate(store.now()), ConvertedAccountId: accountId,
				ConvertedContactId: contactId, ConvertedOpportunityId: opportunityId, LastModifiedById: userId,
			};
			store.systemUpdate(leadMeta, lead.Id as string, converted);
			for (const member of store.all('CampaignMember').filter((m) => m.LeadId === lead.Id)) {
				store.systemUpdate(store.describe('CampaignMember'), member.Id as string, { ContactId: contactId });
			}
			return `<accountId>${accountId}</accountId><contactId>${contactId}</contactId><leadId>${lead.Id}</leadId>` +
				`${opportunityId ? `<opportunityId>${opportunityId}</opportunityId>` : '<opportunityId xsi:nil="true"/>'}<success>true</success>`;
		});
	} catch (error) {
		if (!(error instanceof SalesforceError)) throw error;
		const fields = error.fields.map((f) => `<fields>${escapeXml(f)}</fields>`).join('');
		return '<accountId xsi:nil="true"/><contactId xsi:nil="true"/>' +
			`<errors>${fields}<message>${escapeXml(error.message)}</message><statusCode>${error.errorCode}</statusCode></errors>` +
			`${leadId ? `<leadId>${escapeXml(leadId)}</leadId>` : '<leadId xsi:nil="true"/>'}<opportunityId xsi:nil="true"/><success>false</success>`;
	}
}

/**
 * A retired API version on the SOAP endpoint: 500 UNSUPPORTED_API_VERSION ("Salesforce Platform API Versions 21.0
 * through 30.0 Retirement").
 */
export function unsupportedApiVersion(): Reply {
	return fault('sf:UNSUPPORTED_API_VERSION', 'UNSUPPORTED_API_VERSION: Invalid Api version specified on URL', 500, 'UNSUPPORTED_API_VERSION');
}

function soapReply(body: string): Reply {
	return { status: 200, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body: `${ENVELOPE_OPEN}<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>` };
}

function fault(code: string, message: string, status: number, exceptionCode?: string): Reply {
	const detail = exceptionCode
		? `<detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>${exceptionCode}</sf:exceptionCode><sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage></sf:UnexpectedErrorFault></detail>`
		: '';
	return {
		status,
		headers: { 'content-type': 'text/xml;charset=UTF-8' },
		body: `${ENVELOPE_OPEN}<soapenv:Body><soapenv:Fault><faultcode>${code}</faultcode><faultstring>${escapeXml(message)}</faultstring>${detail}</soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
	};
}

function find(node: XmlNode, ...path: string[]): XmlNode | undefined {
	let current: XmlNode | undefined = node;
	for (const name of path) current = current?.children.find((c) => c.name === name);
	return current;
}

/** Enough XML for SOAP envelopes: elements, attributes (xsi:nil), text and entities; namespace prefixes dropped. */
function parseXml(xml: string): XmlNode {
	const root: XmlNode = { name: '#root', children: [], text: '', nil: false };
	const stack = [root];
	const pattern = /<\?[^>]*\?>|<!--[\s\S]*?-->|<(\/?)([\w:.-]+)([^>]*?)(\/?)>|([^<]+)/g;
	for (const m of xml.matchAll(pattern)) {
		const [, closing, tag, attributes, selfClosing, text] = m;
		const top = stack[stack.length - 1];
		if (text !== undefined) top.text += unescapeXml(text);
		else if (!tag) continue;
		else if (closing) {
			if (stack.length === 1 || top.name !== localName(tag)) throw new Error(`Unexpected </${tag}>`);
			stack.pop();
		} else {
			const node: XmlNode = { name: localName(tag), children: [], text: '', nil: /\bnil\s*=\s*"true"/.test(attributes) };
			top.children.push(node);
			if (!selfClosing) stack.push(node);
		}
	}
	if (stack.length !== 1) throw new Error('Unclosed element');
	const envelope = root.children[0];
	if (!envelope) throw new Error('Empty document');
	return envelope;
}

function localName(tag: string): string {
	return tag.includes(':') ? tag.slice(tag.indexOf(':') + 1) : tag;
}

function unescapeXml(text: string): string {
	return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
		const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
		if (named[e]) return named[e];
		return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
	});
}

function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
