// tools/list from the build's precomputed answer (dist/tool-listing.json), so a start-up does not convert
// every zod schema to JSON Schema. The file is made with every tool and with confirmation tokens offered;
// each server serves its enabled tools, and drops the token fields where the model never carries a token.
// Tests check both forms equal the SDK's own listing of a server configured that way.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { TOKENS_ID_SUFFIX } from '../tools/envelope.js';

export function servedListing(full: readonly Tool[], enabled: ReadonlySet<string>, tokens: boolean): Tool[] {
  const listed = full.filter((tool) => enabled.has(tool.name));
  return tokens ? listed : listed.map(withoutTokenFields);
}

/** The same tool as listed where a person answers directly: no confirmationToken in, no token or confirmation_required out. */
function withoutTokenFields(tool: Tool): Tool {
  const { confirmationToken: tokenInput, ...inputProperties } = tool.inputSchema.properties ?? {};
  const output = tool.outputSchema;
  if (tokenInput === undefined || !output?.properties) return tool;
  const { confirmationToken: _output, expiresAt: _expiresAt, ...outputProperties } = output.properties;
  const status = outputProperties.status as { enum: string[] };
  return {
    ...tool,
    inputSchema: { ...tool.inputSchema, properties: inputProperties },
    outputSchema: {
      ...output,
      properties: { ...outputProperties, status: { ...status, enum: status.enum.filter((value) => value !== 'confirmation_required') } },
      $id: String(output.$id).slice(0, -TOKENS_ID_SUFFIX.length),
    },
  };
}
