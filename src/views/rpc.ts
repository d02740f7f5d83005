// JSON-RPC 2.0 over postMessage with the host: requests with ids and timeouts, notifications both ways,
// and answers to the host's own requests. Only messages from window.parent are read: the host is the one
// party this document talks to, and anything else (another frame, an extension) is ignored.

export type Params = Record<string, unknown>;
type NotificationHandler = (params: Params) => void;
type RequestHandler = (params: Params) => unknown;

interface Message {
  jsonrpc: '2.0';
  id?: string | number;
  method?: string;
  params?: Params;
  result?: unknown;
  error?: { code: number; message: string };
}

export class RpcError extends Error {}

export class Rpc {
  private nextId = 1;
  private readonly waiting = new Map<string | number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly notificationHandlers = new Map<string, NotificationHandler>();
  private readonly requestHandlers = new Map<string, RequestHandler>();

  constructor(private readonly host: Window = window.parent) {
    window.addEventListener('message', (event) => {
      if (event.source !== this.host) return;
      const message = event.data as Message | null;
      if (message?.jsonrpc === '2.0') this.receive(message);
    });
  }

  request<T>(method: string, params: Params = {}, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.waiting.delete(id);
        reject(new RpcError(`${method}: no answer from the host in ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (value) => (window.clearTimeout(timer), resolve(value as T)),
        reject: (error) => (window.clearTimeout(timer), reject(error)),
      });
      this.post({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: Params = {}): void {
    this.post({ jsonrpc: '2.0', method, params });
  }

  onNotification(method: string, handler: NotificationHandler): void {
    this.notificationHandlers.set(method, handler);
  }

  onRequest(method: string, handler: RequestHandler): void {
    this.requestHandlers.set(method, handler);
  }

  private receive(message: Message): void {
    if (message.method === undefined) return this.settle(message);
    if (message.id === undefined) return void this.notificationHandlers.get(message.method)?.(message.params ?? {});
    this.answer(message.id, message.method, message.params ?? {});
  }

  /** A response to one of our requests. */
  private settle({ id, result, error }: Message): void {
    const waiter = id === undefined ? undefined : this.waiting.get(id);
    if (!waiter) return;
    this.waiting.delete(id!);
    if (error) waiter.reject(new RpcError(error.message));
    else waiter.resolve(result);
  }

  /** A request from the host: answered by its handler, or "method not found". */
  private answer(id: string | number, method: string, params: Params): void {
    const handler = this.requestHandlers.get(method);
    if (!handler) return this.post({ jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${method}` } });
    try {
      this.post({ jsonrpc: '2.0', id, result: handler(params) ?? {} });
    } catch (error) {
      this.post({ jsonrpc: '2.0', id, error: { code: -32603, message: (error as Error).message } });
    }
  }

  private post(message: Message): void {
    // The view's own origin is opaque (a sandboxed frame), and the host's is not known to it: '*' is the
    // only target that reaches it. It goes to window.parent, the host, only; the one secret it carries (a
    // card's decision key, back in app_decide) came from the server through that same host.
    this.host.postMessage(message, '*');
  }
}
