// `--print-config`: what this server would do, with secrets masked, for a person to check.
import type { Config } from '../config/config.js';
import { isGuarded } from '../tools/define.js';
import { enabledTools } from '../tools/index.js';

const CONFIRMATION_STEPS: Record<Config['confirmationMode'], string> = {
  auto: "the client's form dialog, else URL elicitation, else an approval page opened in the person's browser",
  form: "always the client's form dialog",
  page: 'always the local approval page (opened in the browser)',
  token: 'the model relays a single-use token: this does NOT prove a person agreed',
};

// A remote server cannot open a browser on the person's machine.
const REMOTE_AUTO = "the client's form dialog, else URL elicitation to the approval page (behind the approver's sign-in), else refused";

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
    `application key:    ${key ? `${key.slice(0, 4)}…${key.slice(-2)}` : '(sandbox app)'}`,
    `application secret: ${config.credentials ? '(set, hidden)' : '(sandbox app)'}`,
    `timeout:            ${config.timeoutMs} ms`,
    `default cli:        ${config.cli ?? '(none)'}`,
    `default country:    ${config.defaultCountry ?? '(none)'}`,
    `read-only:          ${config.readOnly}`,
    `toolsets:           ${config.toolsets.join(', ')}`,
    `confirmations:      ${config.skipConfirmation ? 'DISABLED (SINCH_DANGEROUSLY_SKIP_CONFIRMATION)' : `${config.confirmationMode}: ${config.http && config.confirmationMode === 'auto' ? REMOTE_AUTO : CONFIRMATION_STEPS[config.confirmationMode]}; a person has ${config.confirmTimeoutMs} ms to answer`}`,
    config.http
      ? `approval page:      on the remote-mode port at /approve/, behind each approver's own sign-in`
      : `approval page:      127.0.0.1:${config.approvalPort || '(any free port)'}, started when first needed`,
    `call state:         ${config.stateFile ? `kept in ${config.stateFile} across restarts` : 'memory only (set SINCH_STATE_FILE to keep it across restarts)'}`,
    `allowed callouts:   ${config.allowedDestinations.length ? config.allowedDestinations.join(', ') : 'any destination'}`,
    `callout rate cap:   ${config.maxCalloutsPerMinute} per minute`,
    `audit log:          stderr${config.auditLog ? ` and ${config.auditLog}` : ''}`,
    config.http
      ? `transport:          remote mode: MCP Streamable HTTP on ${config.http.host}:${config.http.port || '(any free port)'}/mcp, ${config.http.auth.kind === 'oauth' ? `OAuth JWTs from ${config.http.auth.issuer} for audience ${config.http.auth.audience}` : `static bearer tokens from ${config.http.auth.file}`}`
      : 'transport:          stdio (add --http for remote mode)',
    `shared state:       ${config.redisUrl ? 'Redis (SINCH_REDIS_URL; password hidden): several instances act as one' : 'memory of this process'}`,
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
