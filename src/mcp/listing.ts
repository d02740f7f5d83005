// tools/list from the build's precomputed answer (dist/tool-listing.json), so a start-up does not convert
// every zod schema to JSON Schema. The file is made with every tool, with confirmation tokens offered and with
// the views (MCP Apps) of a client that shows them; each session serves its enabled tools in its own form: without
// the token fields where the model never carries a token, and without `_meta.ui` and the app-only tools where its
// client shows no views. Tests check every form equals the SDK's own listing of a session configured that way.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { type ListingForm, TOKENS_ID_SUFFIX, VIEWS_ID_SUFFIX } from '../tools/envelope.js';

export function servedListing(full: readonly Tool[], enabled: ReadonlySet<string>, form: ListingForm): Tool[] {
  const listed = full.filter((tool) => enabled.has(tool.name) && (form.views || !isAppOnly(tool)));
  return listed.map((tool) => {
    const shaped = form.tokens ? tool : withoutTokenFields(tool, form.views);
    return form.views ? shaped : withoutViews(shaped);
  });
}

function isAppOnly(tool: Tool): boolean {
  const visibility = (tool._meta?.ui as { visibility?: string[] } | undefined)?.visibility;
  return visibility !== undefined && !visibility.includes('model');
}

/** The same tool for a client that shows no views: no `_meta.ui`. */
function withoutViews(tool: Tool): Tool {
  if (!tool._meta?.ui) return tool;
  const { ui: _ui, ...meta } = tool._meta;
  const { _meta: _all, ...rest } = tool;
  return Object.keys(meta).length ? { ...rest, _meta: meta } : rest;
}

/**
 * The same tool where a person answers directly: no confirmationToken in or out. Where no card can answer later
 * either (`views` false), no confirmation_required status, preview or expiry out.
 */
function withoutTokenFields(tool: Tool, views: boolean): Tool {
  const { confirmationToken: tokenInput, ...inputProperties } = tool.inputSchema.properties ?? {};
  const output = tool.outputSchema;
  if (tokenInput === undefined || !output?.properties) return tool;
  const { confirmationToken: _output, expiresAt, preview, ...outputProperties } = output.properties;
  const status = outputProperties.status as { enum: string[] };
  const base = String(output.$id).slice(0, -TOKENS_ID_SUFFIX.length);
  return {
    ...tool,
    inputSchema: { ...tool.inputSchema, properties: inputProperties },
    outputSchema: views
      ? { ...output, properties: { ...outputProperties, preview, expiresAt }, $id: `${base}${VIEWS_ID_SUFFIX}` }
      : { ...output, properties: { ...outputProperties, status: { ...status, enum: status.enum.filter((value) => value !== 'confirmation_required') } }, $id: base },
  };
}
