// `--print-config`: what this server would do, with secrets masked, for a person to check.
import type { Config } from '../config/config.js';
import { PENDING_PER_CALLER, PENDING_PER_INSTANCE } from '../confirm/pending-caps.js';
import { describeForOperator } from '../confirm/texts.js';
import { isGuarded } from '../tools/define.js';
import { enabledTools } from '../tools/index.js';
import { partly } from '../support/redact.js';

/** `warnings` are the start-up warnings (placeholders treated as unset, live mode without an allow-list, …). */
export function describeConfig(config: Config, warnings: string[] = []): string {
  const sandbox = config.mode === 'sandbox';
  const sandboxUrl = 'embedded sandbox on 127.0.0.1 (URL overrides are ignored in sandbox mode)';
  const key = config.credentials?.key;
  const tools = enabledTools(config).map((tool) => {
    const guard = isGuarded(tool) ? (config.skipConfirmation ? 'confirmation DISABLED' : tool.needsConfirmation ? 'needs confirmation (hang-up, recording)' : 'needs confirmation') : tool.kind === 'read' ? 'read-only' : 'no confirmation';
    return `    ${tool.name.padEnd(24)} ${tool.kind.padEnd(12)} ${guard}`;
  });
  return [
    `mode:               ${sandbox ? 'sandbox (no credentials set; nothing real is dialled)' : 'live'}`,
    `region:             ${sandbox ? '(ignored in sandbox mode)' : config.region}`,
    `calling URL:        ${sandbox ? sandboxUrl : config.callingUrl}`,
    `management URL:     ${sandbox ? sandboxUrl : config.managementUrl}`,
    `auth:               ${config.auth === 'signed' ? 'application-signed requests' : 'basic'}`,
    `application key:    ${key ? partly(key) : '(sandbox app)'}`,
    `application secret: ${config.credentials ? '(set, hidden)' : '(sandbox app)'}`,
    `number lookup:      ${numberLookup(config)}`,
    `timeout:            ${config.timeoutMs} ms`,
    `default cli:        ${config.cli ?? '(none)'}`,
    `default country:    ${config.defaultCountry ?? '(none)'}`,
    `read-only:          ${config.readOnly}`,
    `toolsets:           ${config.toolsets.join(', ')}`,
    `confirmations:      ${describeForOperator({ mode: config.confirmationMode, remote: config.http !== undefined, skip: config.skipConfirmation, timeoutMs: config.confirmTimeoutMs })}`,
    config.http
      ? `approval page:      on the remote-mode port at /approve/, behind each approver's own sign-in`
      : `approval page:      127.0.0.1:${config.approvalPort || '(any free port)'}, started when first needed`,
    `pending approvals:  at most ${PENDING_PER_CALLER} per caller and ${PENDING_PER_INSTANCE} per instance (pages, links and tokens alike)`,
    `call state:         ${config.stateFile ? `kept in ${config.stateFile} across restarts` : 'memory only (set SINCH_STATE_FILE to keep it across restarts)'}`,
    `allowed callouts:   ${config.allowedDestinations.length ? config.allowedDestinations.join(', ') : 'any number or in-app user (no SIP address)'}`,
    `callout rate cap:   ${config.maxCalloutsPerMinute} per minute`,
    `audit log:          stderr${config.auditLog ? ` and ${config.auditLog}` : ''}`,
    config.http
      ? `transport:          remote mode: MCP Streamable HTTP on ${config.http.host}:${config.http.port || '(any free port)'}/mcp, ${config.http.auth.kind === 'oauth' ? `OAuth JWTs from ${config.http.auth.issuer} for audience ${config.http.auth.audience}` : `static bearer tokens from ${config.http.auth.file}`}`
      : 'transport:          stdio (add --http for remote mode)',
    `shared state:       ${config.redisUrl ? `Redis (SINCH_REDIS_URL; password hidden): several instances act as one; values and messages MACed (SINCH_STATE_SECRET set${config.stateSecret?.previous ? ', SINCH_STATE_SECRET_PREVIOUS set: rotating' : ''})` : 'memory of this process'}`,
    config.callbacks && config.http
      ? `callback receiver:  on the remote-mode port, path ${config.callbacks.publicPath}; register ${config.callbacks.publicUrl} with update_callback_urls`
      : config.callbacks
      ? `callback receiver:  listens on ${config.callbacks.host}:${config.callbacks.port || '(any free port)'}, path ${config.callbacks.publicPath}; register ${config.callbacks.publicUrl} with update_callback_urls`
      : 'callback receiver:  off (set SINCH_CALLBACK_PORT and SINCH_CALLBACK_PUBLIC_URL to receive call events)',
    `tools (${tools.length}):`,
    ...tools,
    ...(warnings.length ? ['warnings:', ...warnings.map((w) => `    ${w}`)] : []),
    '',
  ].join('\n');
}

/** Whether lookup_number adds Number Lookup, and where it asks; the key secret is never shown. */
function numberLookup(config: Config): string {
  if (!config.project) return 'off (set SINCH_PROJECT_ID, SINCH_KEY_ID and SINCH_KEY_SECRET to add carrier, line type, porting, VoIP)';
  if (!config.toolsets.includes('lookup-plus')) return 'off (project credentials set, but SINCH_TOOLSETS leaves out lookup-plus)';
  const where = config.mode === 'sandbox' ? 'the embedded sandbox' : 'Sinch (billed per lookup)';
  return `on, project ${config.project.projectId}, key secret (set, hidden), answered by ${where}`;
}
