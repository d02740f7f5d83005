// The host side of the view tests, bundled for the browser: the official host library (AppBridge) renders one
// view from its resources/read answer in a sandboxed iframe, with the Content-Security-Policy a host builds from
// _meta.ui.csp, and hands the view's requests to the test (window.node*), which passes tools/call on to the real
// server. This is what Claude Desktop or VS Code do, minus the chat around it.
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';

interface Csp {
  connectDomains?: string[];
  resourceDomains?: string[];
  frameDomains?: string[];
  baseUriDomains?: string[];
}

declare global {
  interface Window {
    startView(options: { html: string; csp?: Csp; hostContext: Record<string, unknown>; width: number }): Promise<void>;
    bridge: AppBridge;
    frameEl: HTMLIFrameElement;
    nodeCallTool(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>>;
    nodeHostRequest(method: string, params: unknown): Promise<{ error?: string } | undefined>;
    nodeLog(event: string, detail: unknown): Promise<void>;
  }
}

/** The policy a host builds from the resource's declared domains (MCP Apps 2026-01-26, "CSP Construction"). */
function policyFor(csp: Csp = {}): string {
  const resources = (csp.resourceDomains ?? []).join(' ');
  return [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline' ${resources}`,
    `style-src 'self' 'unsafe-inline' ${resources}`,
    `connect-src 'self' ${(csp.connectDomains ?? []).join(' ')}`,
    `img-src 'self' data: ${resources}`,
    `font-src 'self' ${resources}`,
    `media-src 'self' data: ${resources}`,
    `frame-src ${(csp.frameDomains ?? []).join(' ') || "'none'"}`,
    "object-src 'none'",
    `base-uri ${(csp.baseUriDomains ?? []).join(' ') || "'self'"}`,
  ].join('; ');
}

window.startView = async ({ html, csp, hostContext, width }) => {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  Object.assign(frame.style, { width: `${width}px`, height: '60px', border: '0', display: 'block' });
  // The policy is the document's first element, before any of its script runs.
  frame.srcdoc = html.replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${policyFor(csp)}">`);
  document.getElementById('stage')!.append(frame);

  const bridge = new AppBridge(null, { name: 'view-tests', version: '1.0.0' }, { openLinks: {}, serverTools: {}, updateModelContext: { text: {} }, message: { text: {} } }, { hostContext });
  bridge.onsizechange = ({ height }) => {
    if (height != null) frame.style.height = `${height}px`;
    void window.nodeLog('size-changed', { height });
  };
  bridge.oncalltool = async (params) => (await window.nodeCallTool(params.name, params.arguments ?? {})) as never;
  bridge.onopenlink = async (params) => (await window.nodeHostRequest('ui/open-link', params), {});
  bridge.onupdatemodelcontext = async (params) => {
    const answer = await window.nodeHostRequest('ui/update-model-context', params);
    if (answer?.error) throw new Error(answer.error);
    return {};
  };
  bridge.onmessage = async (params) => (await window.nodeHostRequest('ui/message', params), {});
  const initialized = new Promise<void>((resolve) => (bridge.oninitialized = () => resolve()));
  await bridge.connect(new PostMessageTransport(frame.contentWindow!, frame.contentWindow!));
  window.bridge = bridge;
  window.frameEl = frame;
  await initialized;
};
