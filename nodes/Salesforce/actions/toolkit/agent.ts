import type { INode } from 'n8n-workflow';

import { withoutItem } from './batch';

/** n8n runs the node an AI agent calls as a tool as its `usableAsTool` variant, whose type name ends in "Tool". */
export const isAgentTool = (node: INode) => node.type.endsWith('Tool');

/**
 * The error as an AI agent reads it. n8n 2.x's AI Agent gives the model a failed tool's message only, while the
 * description is where this node says how to fix the input: the description joins the message, in the form n8n's
 * own tool wrapper uses for older agents ("…\n\nDetails: …"), so the agent can correct its call. The item a message
 * names is dropped: a tool call is one item, and "(item 0)" would only puzzle the model.
 */
export function withDetailsForAgent(error: unknown): unknown {
	if (!(error instanceof Error)) return error;
	const description = (error as { description?: unknown }).description;
	error.message = withoutItem(error.message);
	if (typeof description === 'string' && description && !error.message.includes(description)) {
		error.message = `${error.message}\n\nDetails: ${description}`;
	}
	return error;
}
