// `--print-config`: what this server would do, with secrets masked, for a person to check.
import type { Config } from './config.js';
import { isGuarded } from './tools/define.js';
import { enabledTools } from './tools/index.js';

export function describeConfig(config: Config): string {
  const sandbox = config.mode === 'sandbox';
  const key = config.credentials?.key;
  const tools = enabledTools(config).map((tool) => {
    const guard = isGuarded(tool) ? (config.skipConfirmation ? 'confirmation DISABLED' : tool.needsConfirmation ? 'needs confirmation (hangup only)' : 'needs confirmation') : tool.kind === 'read' ? 'read-only' : 'no confirmation';
    return `    ${tool.name.padEnd(24)} ${tool.kind.padEnd(12)} ${guard}`;
  });
  return [
    `mode:               ${sandbox ? 'sandbox (no credentials set; nothing real is dialled)' : 'live'}`,
    `region:             ${config.region}`,
    `calling URL:        ${config.callingUrl ?? 'embedded sandbox on 127.0.0.1 (started with the server)'}`,
    `management URL:     ${config.managementUrl ?? 'embedded sandbox on 127.0.0.1 (started with the server)'}`,
    `auth:               ${config.auth === 'signed' ? 'application-signed requests' : 'basic'}`,
    `application key:    ${key ? `${key.slice(0, 4)}…${key.slice(-2)}` : '(sandbox app)'}`,
    `application secret: ${config.credentials ? '(set, hidden)' : '(sandbox app)'}`,
    `timeout:            ${config.timeoutMs} ms`,
    `default cli:        ${config.cli ?? '(none)'}`,
    `default country:    ${config.defaultCountry ?? '(none)'}`,
    `read-only:          ${config.readOnly}`,
    `toolsets:           ${config.toolsets.join(', ')}`,
    `confirmations:      ${config.skipConfirmation ? 'DISABLED (SINCH_DANGEROUSLY_SKIP_CONFIRMATION)' : config.confirmationMode === 'token' ? 'on (always the token flow)' : `on (client dialog when it has one, else token; dialog timeout ${config.confirmTimeoutMs} ms)`}`,
    `allowed callouts:   ${config.allowedDestinations.length ? config.allowedDestinations.join(', ') : 'any destination'}`,
    `callout rate cap:   ${config.maxCalloutsPerMinute} per minute`,
    `audit log:          stderr${config.auditLog ? ` and ${config.auditLog}` : ''}`,
    config.callbacks
      ? `callback receiver:  listens on ${config.callbacks.host}:${config.callbacks.port || '(any free port)'}, path ${config.callbacks.publicPath}; register ${config.callbacks.publicUrl} with update_callback_urls`
      : 'callback receiver:  off (set SINCH_CALLBACK_PORT and SINCH_CALLBACK_PUBLIC_URL to receive call events)',
    `tools (${tools.length}):`,
    ...tools,
    '',
  ].join('\n');
}
