import type { INodeProperties } from 'n8n-workflow';

/** The Options collection of an operation or of the trigger (read as `options.<name>`). */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options };
}
