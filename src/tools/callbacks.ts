import { z } from 'zod';
import { endpoints } from '../sinch/endpoints.js';
import { defineTool } from './define.js';
import { applicationKey, httpsUrl } from './fields.js';
import { definedOnly, record, text } from '../sinch/read.js';

const urls = z.object({ applicationKey: z.string(), primary: z.string().optional(), fallback: z.string().optional() });

export const getCallbackUrls = defineTool({
  name: 'get_callback_urls',
  title: 'Get callback URLs',
  toolset: 'callbacks',
  kind: 'read',
  description: 'Where Sinch sends the call events (ICE/ACE/DiCE) of a Voice app: primary and fallback URL. Free. Example: "where do our call events go?"',
  input: z.object({ applicationKey }),
  result: urls,
  async plan(args, ctx) {
    const key = args.applicationKey ?? (await ctx.applicationKey());
    return {
      request: endpoints.getCallbackUrls(key),
      preview: `Read the callback URLs of app ${key}`,
      read(response) {
        const url = record(record(response).url);
        const result = definedOnly({ applicationKey: key, primary: text(url.primary), fallback: text(url.fallback) });
        return { result, summary: `Callbacks of app ${key}: primary ${result.primary ?? '(none)'}, fallback ${result.fallback ?? '(none)'}` };
      },
    };
  },
});

export const updateCallbackUrls = defineTool({
  name: 'update_callback_urls',
  title: 'Set callback URLs',
  toolset: 'callbacks',
  kind: 'destructive',
  description:
    'Replace where Sinch sends the call events of a Voice app; a wrong URL breaks incoming calls. Needs confirmation. Example: "send events to https://hooks.example.com".',
  input: z.object({
    primary: httpsUrl('primary').describe('https URL that receives call events.'),
    fallback: httpsUrl('fallback').optional().describe('https URL used when the primary fails.'),
    applicationKey,
  }),
  result: urls,
  async plan(args, ctx) {
    const key = args.applicationKey ?? (await ctx.applicationKey());
    const body = definedOnly({ primary: args.primary, fallback: args.fallback });
    return {
      request: endpoints.updateCallbackUrls(key, body),
      preview: `Send call events of app ${key} to ${args.primary}${args.fallback ? ` (fallback ${args.fallback})` : ''}, replacing the current URLs.`,
      read: () => ({ result: { applicationKey: key, ...body }, summary: `Callback URLs of app ${key} set to ${args.primary}` }),
    };
  },
});
